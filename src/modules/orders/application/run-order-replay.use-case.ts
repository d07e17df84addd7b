import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { REPLAY_ORDERS_PAGE } from 'src/modules/orders/application/order-reconciliation.shopify-graphql';
import { ReplayOrders, type ReplayedOrder } from 'src/modules/orders/application/replay-orders.use-case';
import { createdRangeQuery } from 'src/modules/orders/domain/order-replay';
import { OrderReplayRepository, type OrderReplayRecord } from 'src/modules/orders/persistence/order-replay.repository';
import { ShopifyAdminClients } from 'src/modules/shopify';
import { ShopDirectory } from 'src/modules/shops';

/** Orders per page: one Admin API list call, then one read each. */
export const REPLAY_PAGE_SIZE = 50;
/**
 * Orders read at once, within the replay's rate: one Admin API read takes a round trip of 100–300 ms, so one at a
 * time would stay under the default rate. Shopify's cost budget is shared through the client's cost bucket.
 */
export const REPLAY_CONCURRENCY = 8;

export type RunOrderReplayResult =
  | { outcome: 'published'; replayId: string; listed: number; notFound: number }
  | { outcome: 'unknown_replay' }
  | { outcome: 'busy' }
  | { outcome: 'already_published' };

/**
 * Runs one background replay (Bull, scheduler role): the shop's orders created in the range, listed page by page
 * through the Admin API (`orders(query: "created_at:>=… AND created_at:<=…", sortKey: CREATED_AT)`), or the ids it
 * names, each replayed through the order pipeline by ReplayOrders at the replay's bounded rate. Resumable: each
 * order published is recorded at once and each completed page moves the stored cursor, so a run that stopped (a
 * crash, a Shopify outage; Bull retries it, an operator may resume it) starts again after the last completed page and
 * skips the orders of that page it already published. One run per replay at a time, across processes.
 */
@Injectable()
export class RunOrderReplay {
  private readonly logger = new Logger(RunOrderReplay.name);

  constructor(
    private readonly replays: OrderReplayRepository,
    private readonly replayOrders: ReplayOrders,
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    private readonly locks: AdvisoryLocks,
  ) {}

  async execute(replayId: string): Promise<RunOrderReplayResult> {
    const replay = await this.replays.find(replayId);
    if (replay === null) {
      return { outcome: 'unknown_replay' };
    }
    if (replay.state === 'published') {
      return { outcome: 'already_published' };
    }
    const result = await this.locks.tryExclusive(`order-replay:${replayId}`, () => this.run(replay));
    return result ?? { outcome: 'busy' };
  }

  private async run(replay: OrderReplayRecord): Promise<RunOrderReplayResult> {
    await this.replays.markRunning(replay.id);
    const pace = pacer(replay.ratePerSecond);
    try {
      if (replay.orderIds !== null) {
        await this.runIds(replay, replay.orderIds, pace);
      } else {
        await this.runRange(replay, pace);
      }
    } catch (error: unknown) {
      // The cursor and the published orders stay: the next run (Bull's retry, an operator's resume) goes on from there.
      await this.replays.finish(replay.id, { state: 'failed', error: errorMessage(error) });
      throw error;
    }
    await this.replays.finish(replay.id, { state: 'published' });
    const done = await this.replays.find(replay.id);
    this.logger.log({ replayId: replay.id, shop: replay.shop, listed: done?.listed }, 'order replay published');
    return { outcome: 'published', replayId: replay.id, listed: done?.listed ?? 0, notFound: done?.notFound ?? 0 };
  }

  private async runIds(replay: OrderReplayRecord, ids: readonly string[], pace: () => Promise<void>): Promise<void> {
    // The cursor of an id list is the index of the next page to publish.
    for (let start = Number(replay.cursor ?? 0); start < ids.length; start += REPLAY_PAGE_SIZE) {
      const page = ids.slice(start, start + REPLAY_PAGE_SIZE);
      const notFound = await this.replayPage(replay, page, pace);
      await this.replays.completePage(replay.id, {
        cursor: String(start + REPLAY_PAGE_SIZE),
        listed: page.length,
        notFound,
      });
    }
  }

  private async runRange(replay: OrderReplayRecord, pace: () => Promise<void>): Promise<void> {
    const shop = await this.shops.find(replay.shop);
    if (shop === undefined || replay.createdFrom === null || replay.createdTo === null) {
      throw new Error(`order replay ${replay.id}: shop ${replay.shop} is no longer in this deployment`);
    }
    const shopify = this.clients.forShop(shop);
    const query = createdRangeQuery(replay.createdFrom, replay.createdTo);
    let after = replay.cursor;
    for (;;) {
      const { data } = await shopify.request(REPLAY_ORDERS_PAGE, { query, first: REPLAY_PAGE_SIZE, after });
      const { nodes, pageInfo } = data.orders;
      const notFound = await this.replayPage(
        replay,
        nodes.map((node) => node.legacyResourceId),
        pace,
      );
      after = pageInfo.endCursor ?? after;
      await this.replays.completePage(replay.id, { cursor: after, listed: nodes.length, notFound });
      if (!pageInfo.hasNextPage || pageInfo.endCursor === null) {
        return;
      }
    }
  }

  /** Publishes the page's orders this replay has not published yet; returns how many Shopify no longer has. */
  private async replayPage(replay: OrderReplayRecord, ids: string[], pace: () => Promise<void>): Promise<number> {
    const done = await this.replays.publishedAmong(replay.id, ids);
    const result = await this.replayOrders.execute({
      shop: replay.shop,
      orderIds: ids.filter((id) => !done.has(id)),
      force: replay.force,
      actor: replay.requestedBy,
      replayId: replay.id,
      pace,
      concurrency: REPLAY_CONCURRENCY,
      onPublished: async (order: ReplayedOrder) => {
        if (order.outcome === 'published') {
          await this.replays.recordPublished(replay.id, {
            shopifyOrderId: order.orderId,
            topic: order.topic,
            eventId: order.eventId,
            sourceUpdatedAt: order.sourceUpdatedAt,
          });
        }
      },
    });
    if (result.outcome === 'unknown_shop') {
      throw new Error(`order replay ${replay.id}: shop ${replay.shop} is no longer in this deployment`);
    }
    return result.orders.filter((order) => order.outcome === 'not_found').length;
  }
}

/** Waits so that calls start at most `perSecond` times a second (the replay's bounded rate), concurrent or not. */
function pacer(perSecond: number): () => Promise<void> {
  const interval = 1_000 / perSecond;
  let next = 0;
  return async () => {
    // Each call takes the next slot at once (synchronously), so concurrent callers never share one.
    const slot = Math.max(next, Date.now());
    next = slot + interval;
    const wait = slot - Date.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
}
