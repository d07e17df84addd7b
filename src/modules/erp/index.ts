export { PruneErpCreateDoubts } from 'src/modules/erp/application/prune-erp-create-doubts.use-case';
export { ReadErpFeedRuns } from 'src/modules/erp/application/read-erp-feed-runs.query';
export { ErpChangeReadsModule, ErpPushModule } from 'src/modules/erp/erp-changes.module';
export { ErpPersistenceModule } from 'src/modules/erp/erp-persistence.module';
export { ERP_WRITE_GATE } from 'src/modules/erp/erp.constants';
export { ErpModule } from 'src/modules/erp/erp.module';
export type { ErpFeedRun } from 'src/modules/erp/persistence/erp-change.repository';
export {
  ErpInventoryLevelRepository,
  type ErpInventoryLevelRow,
  type ErpLevelKey,
  type ErpLevelPageQuery,
} from 'src/modules/erp/persistence/erp-inventory-level.repository';
export {
  ErpItemCatalogRepository,
  type CatalogueShop,
  type ErpItemPushedVariant,
  type ErpItemSyncMark,
  type ErpItemSyncRow,
  type ShopifyPushedFields,
} from 'src/modules/erp/persistence/erp-item-catalog.repository';
export {
  ErpShipmentRepository,
  type ErpShipmentKey,
  type ErpShipmentRow,
} from 'src/modules/erp/persistence/erp-shipment.repository';
export {
  ERP_CUSTOMER_NOT_FOUND,
  ErpError,
  ErpErrorKind,
  isStaleCustomerReference,
} from 'src/modules/erp/port/erp-error';
export type * from 'src/modules/erp/port/erp-order-mapping';
export { ERP_PORTS_BY_SCOPE, type ErpPortsByScope, type ErpScope } from 'src/modules/erp/port/erp-scope';
export { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
export type * from 'src/modules/erp/port/erp.types';
export { ErpMessageRunner, type MessageContext } from 'src/modules/erp/writer/erp-message-runner';
export type { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
export { withFreshCustomer } from 'src/modules/erp/writer/with-fresh-customer';
