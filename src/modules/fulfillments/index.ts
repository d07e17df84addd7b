export {
  FulfilErpShipments,
  type FulfilErpShipmentsResult,
} from 'src/modules/fulfillments/application/fulfil-erp-shipments.use-case';
export { FulfillmentsModule } from 'src/modules/fulfillments/fulfillments.module';
