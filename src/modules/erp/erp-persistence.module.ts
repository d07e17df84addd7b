import { Module } from '@nestjs/common';
import { ErpInventoryLevelRepository } from 'src/modules/erp/persistence/erp-inventory-level.repository';
import { ErpItemCatalogRepository } from 'src/modules/erp/persistence/erp-item-catalog.repository';
import { ErpShipmentRepository } from 'src/modules/erp/persistence/erp-shipment.repository';

/**
 * The erp module's tables as other modules may use them: the items, stock levels and shipments the delta reads
 * stored, and the Shopify ids the product sync keeps on the items. It needs only the (global) DataSource, so the
 * Shopify-side modules use it without the ERP connector and its write machinery.
 */
@Module({
  providers: [ErpItemCatalogRepository, ErpInventoryLevelRepository, ErpShipmentRepository],
  exports: [ErpItemCatalogRepository, ErpInventoryLevelRepository, ErpShipmentRepository],
})
export class ErpPersistenceModule {}
