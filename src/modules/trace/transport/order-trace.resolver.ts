import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { TraceOrder, type TraceOrderInput } from 'src/modules/trace/application/trace-order.query';
import { OrderTraceModel, toOrderTraceModel } from 'src/modules/trace/transport/models/order-trace.model';
import { OrderTraceArgs } from 'src/modules/trace/transport/order-trace.args';

/** The order trace for operators (viewer): one order from webhook to ERP document to Shopify fulfilment. */
@Resolver(() => OrderTraceModel)
export class OrderTraceResolver {
  constructor(private readonly traceOrder: TraceOrder) {}

  @Query(() => OrderTraceModel, {
    description:
      'Follows one order of the shop (by orderId, or by the webhookId of a webhook about it) through its webhooks, ' +
      'queue messages, dead letters, ERP document and Shopify fulfilments, in time order, with a summary.',
  })
  @RequireRole(AdminRole.Viewer)
  async orderTrace(@Args(new GraphqlValidationPipe()) args: OrderTraceArgs): Promise<OrderTraceModel> {
    const result = await this.traceOrder.execute(inputOf(args));
    switch (result.outcome) {
      case 'traced':
        return toOrderTraceModel(result.trace);
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'invalid_order_id':
        throw new GraphqlClientError('orderId is not a Shopify order id nor an order GID', 'BAD_USER_INPUT');
      case 'not_found':
        throw new GraphqlClientError('no record of this order in the shop', 'NOT_FOUND');
    }
  }
}

function inputOf(args: OrderTraceArgs): TraceOrderInput {
  const orderId = args.orderId ?? undefined;
  const webhookId = args.webhookId ?? undefined;
  if ((orderId === undefined) === (webhookId === undefined)) {
    throw new GraphqlClientError('give exactly one of orderId and webhookId', 'BAD_USER_INPUT');
  }
  return orderId === undefined ? { shop: args.shop, webhookId: webhookId ?? '' } : { shop: args.shop, orderId };
}
