import { Module } from '@nestjs/common';
import { ErpModule } from 'src/modules/erp';
import { MappingModule } from 'src/modules/mapping';
import { OrderPreviewBuilder } from 'src/modules/orders/application/order-preview.builder';
import { PreviewMappingChange } from 'src/modules/orders/application/preview-mapping-change.use-case';
import { PreviewOrderMapping } from 'src/modules/orders/application/preview-order-mapping.use-case';
import { OrderPayloadRepository } from 'src/modules/orders/persistence/order-payload.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { OrderMappingPreviewController } from 'src/modules/orders/transport/order-mapping-preview.controller';
import { OrderMappingPreviewResolver } from 'src/modules/orders/transport/order-mapping-preview.resolver';

/**
 * The mapping previews (api role): `previewOrderMapping` and `previewMappingChange` over GraphQL and REST. They run
 * the order writer's own steps and the connector's request building on stored or given payloads; nothing is sent.
 */
@Module({
  imports: [ErpModule.forRoot(), MappingModule],
  providers: [
    OrderSyncStateRepository,
    OrderPayloadRepository,
    OrderPreviewBuilder,
    PreviewOrderMapping,
    PreviewMappingChange,
    OrderMappingPreviewResolver,
  ],
  controllers: [OrderMappingPreviewController],
})
export class OrderMappingPreviewModule {}
