import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ReadOrderReplay } from 'src/modules/orders/application/read-order-replay.query';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import {
  StartOrderReplay,
  type StartOrderReplayResult,
} from 'src/modules/orders/application/start-order-replay.use-case';
import { OrderReplayModel, OrderResyncModel } from 'src/modules/orders/transport/models/order-replay.model';
import { OrderReplayArgs, ResyncOrderArgs, StartOrderReplayArgs } from 'src/modules/orders/transport/order-replay.args';
import { REPLAY_PROBLEMS } from 'src/modules/orders/transport/order-replay.problems';
import { toOrderReplayModel, toOrderResyncModel } from 'src/modules/orders/transport/order-replay.views';

const notFound = (what: string): GraphqlClientError => new GraphqlClientError(`unknown ${what}`, 'NOT_FOUND');

/** Operators re-sync one order now, or replay many in the background, through the order pipeline (operator role). */
@Resolver()
export class OrderReplayResolver {
  constructor(
    private readonly replayOrders: ReplayOrders,
    private readonly startReplay: StartOrderReplay,
    private readonly readReplay: ReadOrderReplay,
  ) {}

  @Mutation(() => OrderResyncModel, {
    description:
      'Reads one order in full from Shopify now and sends it through the order pipeline (partition, inbox, ERP ' +
      'upsert by external id). Without force, an order the ERP already has at this version is left as it is.',
  })
  @RequireRole(AdminRole.Operator)
  async resyncOrder(
    @Args(new GraphqlValidationPipe()) args: ResyncOrderArgs,
    @Actor() actor: string,
  ): Promise<OrderResyncModel> {
    const result = await this.replayOrders.execute({
      shop: args.shop,
      orderIds: [args.orderId],
      force: args.force,
      actor,
    });
    if (result.outcome === 'unknown_shop') {
      throw notFound('shop');
    }
    return toOrderResyncModel(
      result.shop,
      result.orders[0] ?? { orderId: args.orderId, outcome: 'not_found' },
      args.force,
    );
  }

  @Mutation(() => OrderReplayModel, {
    description:
      'Queues a background replay of the shop’s orders created in [createdFrom, createdTo] (or of the given ids): ' +
      'each is read from Shopify and sent through the order pipeline at a bounded rate, so the ERP ends with each ' +
      'exactly once. Follow it with orderReplay(id).',
  })
  @RequireRole(AdminRole.Operator)
  async startOrderReplay(
    @Args(new GraphqlValidationPipe()) args: StartOrderReplayArgs,
    @Actor() actor: string,
  ): Promise<OrderReplayModel> {
    const result = await this.startReplay.execute({
      shop: args.shop,
      createdFrom: args.createdFrom ?? undefined,
      createdTo: args.createdTo ?? undefined,
      orderIds: args.orderIds ?? undefined,
      force: args.force,
      ratePerSecond: args.ratePerSecond ?? undefined,
      actor,
    });
    return this.replayOf(result);
  }

  @Mutation(() => OrderReplayModel, {
    description: 'Runs a failed (or stalled) replay again: it resumes after its last completed page.',
  })
  @RequireRole(AdminRole.Operator)
  async resumeOrderReplay(@Args(new GraphqlValidationPipe()) args: OrderReplayArgs): Promise<OrderReplayModel> {
    const result = await this.startReplay.resume({ shop: args.shop, replayId: args.id });
    if (result.outcome === 'not_found') {
      throw notFound('replay');
    }
    return this.view(args.shop, result.replay.id);
  }

  @Query(() => OrderReplayModel, { description: 'One replay: listed, published, processed by the ERP writer, status.' })
  @RequireRole(AdminRole.Viewer)
  async orderReplay(@Args(new GraphqlValidationPipe()) args: OrderReplayArgs): Promise<OrderReplayModel> {
    return this.view(args.shop, args.id);
  }

  private async replayOf(result: StartOrderReplayResult): Promise<OrderReplayModel> {
    switch (result.outcome) {
      case 'queued':
        return this.view(result.replay.shop, result.replay.id);
      case 'unknown_shop':
        throw notFound('shop');
      case 'invalid': {
        const { field, message } = REPLAY_PROBLEMS[result.problem];
        throw new GraphqlClientError(`${field} ${message}`, 'BAD_USER_INPUT', [{ field, message }]);
      }
      default:
        return assertNever(result);
    }
  }

  private async view(shop: string, id: string): Promise<OrderReplayModel> {
    const view = await this.readReplay.execute({ shop, replayId: id });
    if (view === null) {
      throw notFound('replay');
    }
    return toOrderReplayModel(view);
  }
}
