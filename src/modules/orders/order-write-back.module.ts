import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditModule } from 'src/modules/audit';
import { WriteBackDocumentNumbers } from 'src/modules/orders/application/write-back-document-numbers.use-case';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { orderWriteBackSchedules } from 'src/modules/orders/schedules';
import { WriteBackDocumentNumbersProcessor } from 'src/modules/orders/transport/write-back-document-numbers.processor';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/**
 * The ERP document number → the Shopify order (scheduler role). Part of the orders module because the number is kept
 * in the order sync state (which the ERP writer fills); it writes to Shopify through the one Admin client, on a Bull
 * job of its own, as the fulfilments do.
 */
@Module({
  imports: [
    AuditModule,
    ShopifyAdminModule,
    ShopsModule,
    BullModule.registerQueue({ name: QueueName.ShopifyOrderWriteBack }),
  ],
  providers: [
    AdvisoryLocks,
    OrderSyncStateRepository,
    WriteBackDocumentNumbers,
    WriteBackDocumentNumbersProcessor,
    provideSchedules('order-write-back', orderWriteBackSchedules),
  ],
  exports: [WriteBackDocumentNumbers],
})
export class OrderWriteBackModule {}
