import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditModule } from 'src/modules/audit';
import { ErpPersistenceModule } from 'src/modules/erp';
import { FlowsModule } from 'src/modules/flows';
import { FulfilErpShipments } from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';
import { ReadOrderFulfilments } from 'src/modules/fulfilments/application/read-order-fulfilments.query';
import { ShipmentFulfilmentRepository } from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';
import { fulfilmentSchedules } from 'src/modules/fulfilments/schedules';
import { FulfilShipmentsProcessor } from 'src/modules/fulfilments/transport/fulfil-shipments.processor';
import { MappingPolicyModule } from 'src/modules/mapping';
import { OrderHistoryModule } from 'src/modules/orders';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/**
 * ERP → Shopify fulfilments (scheduler role). Its own module rather than part of `orders`: it writes to Shopify
 * (the orders module writes to the ERP and never imports the Shopify client), reads what the ERP delta reads
 * stored, and has its own state machine and tables.
 */
@Module({
  imports: [
    AuditModule,
    MappingPolicyModule,
    FlowsModule,
    ShopsModule,
    OrderHistoryModule,
    ErpPersistenceModule,
    ShopifyAdminModule,
    BullModule.registerQueue({ name: QueueName.ShopifyFulfilments }),
  ],
  providers: [
    AdvisoryLocks,
    FulfilErpShipments,
    ShipmentFulfilmentRepository,
    FulfilShipmentsProcessor,
    provideSchedules('fulfilments', fulfilmentSchedules),
  ],
  exports: [FulfilErpShipments],
})
export class FulfilmentsModule {}

/** The fulfilments of one order, for the order trace (api role): the erp module's persistence and the DataSource. */
@Module({
  imports: [ErpPersistenceModule],
  providers: [ShipmentFulfilmentRepository, ReadOrderFulfilments],
  exports: [ReadOrderFulfilments],
})
export class FulfilmentTrailModule {}
