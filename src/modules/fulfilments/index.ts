export {
  FulfilErpShipments,
  type FulfilErpShipmentsResult,
} from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';
export { FulfilmentsModule } from 'src/modules/fulfilments/fulfilments.module';
