import { Module } from '@nestjs/common';
import { PruneErpCreateDoubts } from 'src/modules/erp/application/prune-erp-create-doubts.use-case';
import { ReadErpFeedRuns } from 'src/modules/erp/application/read-erp-feed-runs.query';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';
import { ErpInventoryLevelRepository } from 'src/modules/erp/persistence/erp-inventory-level.repository';
import { ErpItemCatalogRepository } from 'src/modules/erp/persistence/erp-item-catalog.repository';
import { ErpShipmentRepository } from 'src/modules/erp/persistence/erp-shipment.repository';

/**
 * The erp module's tables as other modules may use them: the items, stock levels and shipments the delta reads
 * stored, the Shopify ids the product sync keeps on the items, and the retention of the records of creates in doubt
 * (for the maintenance job), and how the reads of the ERP's changes fare (for the alerts). It needs only the (global) DataSource, so the
 * Shopify-side modules use it without the ERP connector and its write machinery.
 */
@Module({
  providers: [
    ErpItemCatalogRepository,
    ErpInventoryLevelRepository,
    ErpShipmentRepository,
    ErpCreateDoubtRepository,
    PruneErpCreateDoubts,
    ErpChangeRepository,
    ReadErpFeedRuns,
  ],
  exports: [
    ErpItemCatalogRepository,
    ErpInventoryLevelRepository,
    ErpShipmentRepository,
    PruneErpCreateDoubts,
    ReadErpFeedRuns,
  ],
})
export class ErpPersistenceModule {}
