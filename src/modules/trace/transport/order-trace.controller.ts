import { BadRequestException, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { TraceOrder, type TraceOrderOutcome } from 'src/modules/trace/application/trace-order.query';
import { OrderTraceModel, toOrderTraceModel } from 'src/modules/trace/transport/models/order-trace.model';

const TRACE_DESCRIPTION =
  'The webhooks received for the order (webhook id, event id, topic, outcome), its queue message steps and dead ' +
  'letters, the ERP document written (ERP id, reference, mapping version) and the Shopify fulfilments made from its ' +
  'ERP shipments, in time order as one list of hops, plus a summary.';

/** The same order trace as the GraphQL API (`orderTrace`), for operators in Swagger. */
@AdminApi('trace')
@ApiNotFoundResponse({ description: 'Unknown shop, or no record of the order (or webhook) in the shop.' })
@Controller('admin/shops/:shop')
export class OrderTraceController {
  constructor(private readonly traceOrder: TraceOrder) {}

  @Get('orders/:orderId/trace')
  @RequireRole(AdminRole.Viewer)
  @ApiParam({
    name: 'orderId',
    description: 'The Shopify order id, numeric or its GID (URL-encoded: gid%3A%2F%2Fshopify%2FOrder%2F123).',
    example: '5612345678901',
  })
  @ApiOperation({ summary: 'Follow one order end to end', description: TRACE_DESCRIPTION })
  @ApiOkResponse({ type: OrderTraceModel })
  @ApiBadRequestResponse({ description: 'orderId is neither a Shopify order id nor an order GID.' })
  async byOrder(@Param('shop') shop: string, @Param('orderId') orderId: string): Promise<OrderTraceModel> {
    return traceOf(await this.traceOrder.execute({ shop, orderId }));
  }

  @Get('webhooks/:webhookId/trace')
  @RequireRole(AdminRole.Viewer)
  @ApiParam({ name: 'webhookId', description: 'The X-Shopify-Webhook-Id of a webhook about the order.' })
  @ApiOperation({ summary: 'Follow the order of one webhook end to end', description: TRACE_DESCRIPTION })
  @ApiOkResponse({ type: OrderTraceModel })
  async byWebhook(@Param('shop') shop: string, @Param('webhookId') webhookId: string): Promise<OrderTraceModel> {
    return traceOf(await this.traceOrder.execute({ shop, webhookId }));
  }
}

function traceOf(result: TraceOrderOutcome): OrderTraceModel {
  switch (result.outcome) {
    case 'traced':
      return toOrderTraceModel(result.trace);
    case 'unknown_shop':
      throw new NotFoundException('unknown shop');
    case 'invalid_order_id':
      throw new BadRequestException('orderId is not a Shopify order id nor an order GID');
    case 'not_found':
      throw new NotFoundException('no record of this order in the shop');
  }
}
