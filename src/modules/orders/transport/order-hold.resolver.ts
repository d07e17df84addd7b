import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ReadHeldOrders } from 'src/modules/orders/application/read-held-orders.query';
import { SettleOrderHold, type SettleOrderHoldResult } from 'src/modules/orders/application/settle-order-hold.use-case';
import {
  HeldOrderPageModel,
  OrderHoldSettlementModel,
  toHeldOrderModel,
  toSettlementModel,
} from 'src/modules/orders/transport/models/order-hold.model';
import { HeldOrdersArgs, SettleOrderHoldArgs } from 'src/modules/orders/transport/order-hold.args';

/** Orders held before their first ERP write (high risk): operators list them and release or cancel one. */
@Resolver()
export class OrderHoldResolver {
  constructor(
    private readonly read: ReadHeldOrders,
    private readonly settle: SettleOrderHold,
  ) {}

  @Query(() => HeldOrderPageModel, {
    description: 'Orders of a shop held before their first ERP write (or released / cancelled ones), oldest first.',
  })
  @RequireRole(AdminRole.Viewer)
  async heldOrders(@Args(new GraphqlValidationPipe()) args: HeldOrdersArgs): Promise<HeldOrderPageModel> {
    const page = await this.read.execute({
      shop: args.shop,
      status: args.status,
      first: args.first,
      after: args.after,
    });
    if (page === null) {
      throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
    }
    return { nodes: page.holds.map(toHeldOrderModel), nextCursor: page.nextCursor };
  }

  @Mutation(() => OrderHoldSettlementModel, {
    description:
      'Releases a held order: it is read from Shopify now and written to the ERP as if its trigger had just fired.',
  })
  @RequireRole(AdminRole.Operator)
  async releaseHeldOrder(
    @Args(new GraphqlValidationPipe()) args: SettleOrderHoldArgs,
    @Actor() actor: string,
  ): Promise<OrderHoldSettlementModel> {
    return settlementOf(
      await this.settle.execute({
        shop: args.shop,
        orderId: args.orderId,
        action: 'release',
        actor,
        note: args.note ?? undefined,
      }),
    );
  }

  @Mutation(() => OrderHoldSettlementModel, {
    description: 'Cancels a hold: the order stays out of the ERP (later webhooks of it are not written either).',
  })
  @RequireRole(AdminRole.Operator)
  async cancelHeldOrder(
    @Args(new GraphqlValidationPipe()) args: SettleOrderHoldArgs,
    @Actor() actor: string,
  ): Promise<OrderHoldSettlementModel> {
    return settlementOf(
      await this.settle.execute({
        shop: args.shop,
        orderId: args.orderId,
        action: 'cancel',
        actor,
        note: args.note ?? undefined,
      }),
    );
  }
}

function settlementOf(result: SettleOrderHoldResult): OrderHoldSettlementModel {
  switch (result.outcome) {
    case 'released':
    case 'cancelled':
      return toSettlementModel(result);
    case 'not_found':
      throw new GraphqlClientError('no hold for this order', 'NOT_FOUND');
    case 'already_settled':
      throw new GraphqlClientError(
        `the hold was ${result.hold.status} already by ${result.hold.settledBy ?? '?'}`,
        'CONFLICT',
      );
    default:
      return assertNever(result);
  }
}
