import { BullModule } from '@nestjs/bull';
import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { rawBodyWithLimit } from 'src/common/http/raw-body.middleware';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { HandleErpPush } from 'src/modules/erp/application/handle-erp-push.use-case';
import { ErpModule } from 'src/modules/erp/erp.module';
import { erpSchedules } from 'src/modules/erp/schedules';
import { ErpPushController } from 'src/modules/erp/transport/erp-push.controller';
import { ErpChangesProcessor } from 'src/modules/erp/transport/read-erp-changes.processor';

/** Scheduler role: delta polls of the ERP's change streams and push-subscription renewal, on Bull. */
@Module({
  imports: [
    AuditModule,
    ErpModule.forRoot(),
    BullModule.registerQueue(
      { name: QueueName.ErpChanges },
      { name: QueueName.ShopifyFulfilments },
      { name: QueueName.ShopifyInventory },
      { name: QueueName.ShopifyProducts },
    ),
  ],
  providers: [ErpChangesProcessor, provideSchedules('erp', erpSchedules)],
})
export class ErpChangeReadsModule {}

/** Api role: `POST /webhooks/erp/:connector`, which wakes the delta reads. */
@Module({
  imports: [AuditModule, ErpModule.forRoot(), BullModule.registerQueue({ name: QueueName.ErpChanges })],
  controllers: [ErpPushController],
  providers: [HandleErpPush],
})
export class ErpPushModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(rawBodyWithLimit(this.config.erp.push.maxBodyBytes))
      .forRoutes({ path: 'webhooks/erp/:connector', method: RequestMethod.POST });
  }
}
