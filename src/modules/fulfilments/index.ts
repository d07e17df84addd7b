export {
  FulfilErpShipments,
  type FulfilErpShipmentsResult,
} from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';
export { ReadOrderFulfilments } from 'src/modules/fulfilments/application/read-order-fulfilments.query';
export { FulfilmentTrailModule, FulfilmentsModule } from 'src/modules/fulfilments/fulfilments.module';
export type { OrderShipmentFulfilment } from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';
