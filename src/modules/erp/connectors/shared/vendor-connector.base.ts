import type { ErpDeltaReads, ErpPort } from 'src/modules/erp/port/erp.port';
import type {
  ErpChangePage,
  ErpDeltaQuery,
  ErpInventoryLevel,
  ErpItemChange,
  ErpSalesOrderDocument,
  ErpSalesOrderQuery,
  ErpShipment,
} from 'src/modules/erp/port/erp.types';

/**
 * @description What every vendor connector (NetSuite, Business Central, Cin7) is besides its writes: a name, the
 * vendor's default limits, and reads kept with their queries in a reader of its own (`<vendor>.delta-reader.ts`).
 * The connector builds its reader; the port's reads (three delta reads, the sales order listing) are handed to it here.
 */
export abstract class VendorConnectorBase implements ErpDeltaReads {
  /** The vendor's reader of items, stock and shipments; built in the connector's constructor. */
  protected abstract readonly reads: ErpDeltaReads;

  protected constructor(
    readonly name: string,
    readonly defaultLimits: ErpPort['defaultLimits'],
  ) {}

  readItemChanges(query: ErpDeltaQuery): Promise<ErpChangePage<ErpItemChange>> {
    return this.reads.readItemChanges(query);
  }

  readInventoryLevels(query: ErpDeltaQuery): Promise<ErpChangePage<ErpInventoryLevel>> {
    return this.reads.readInventoryLevels(query);
  }

  readShipments(query: ErpDeltaQuery): Promise<ErpChangePage<ErpShipment>> {
    return this.reads.readShipments(query);
  }

  listSalesOrders(query: ErpSalesOrderQuery): Promise<ErpSalesOrderDocument[]> {
    return this.reads.listSalesOrders(query);
  }
}
