import { Injectable } from '@nestjs/common';
import {
  OrderReplayRepository,
  type OrderReplayProgress,
  type OrderReplayRecord,
} from 'src/modules/orders/persistence/order-replay.repository';
import { normalizeShopDomain } from 'src/modules/shops';

/**
 * @description Where a replay is: `queued` → `running` (listing and publishing) → `published` (every order is on
 * the pipeline) → `done` (the order writer processed every one: written, or left as the ERP already had it);
 * `failed` when its run stopped on an error (Bull tries again; an operator may resume it).
 */
export type OrderReplayStatus = 'queued' | 'running' | 'published' | 'done' | 'failed';

export interface OrderReplayView extends OrderReplayRecord, OrderReplayProgress {
  status: OrderReplayStatus;
}

/** One replay with its progress through the order pipeline. */
@Injectable()
export class ReadOrderReplay {
  constructor(private readonly replays: OrderReplayRepository) {}

  /** Null when there is no such replay of this shop. */
  async execute(input: { shop: string; replayId: string }): Promise<OrderReplayView | null> {
    const replay = await this.replays.find(input.replayId);
    if (replay === null || replay.shop !== normalizeShopDomain(input.shop)) {
      return null;
    }
    const progress = await this.replays.progress(replay.id, replay.shop);
    const status: OrderReplayStatus =
      replay.state === 'published' && progress.processed >= progress.published ? 'done' : replay.state;
    return { ...replay, ...progress, status };
  }
}
