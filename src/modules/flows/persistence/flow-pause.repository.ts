import { Injectable } from '@nestjs/common';
import type { Flow, FlowPause } from 'src/modules/flows/domain/flow';
import { DataSource } from 'typeorm';

interface FlowPauseRow {
  shop: string;
  flow: string;
  paused_at: Date;
  paused_by: string;
  reason: string | null;
}

function toPause(row: FlowPauseRow): FlowPause {
  return {
    shop: row.shop,
    flow: row.flow as Flow,
    pausedAt: new Date(row.paused_at),
    pausedBy: row.paused_by,
    reason: row.reason,
  };
}

/** The only reader and writer of `flow_pause`. */
@Injectable()
export class FlowPauseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every pause of every shop: a handful of rows, read by the workers' cache. */
  async all(): Promise<FlowPause[]> {
    const rows: FlowPauseRow[] = await this.dataSource.query(
      'SELECT shop, flow, paused_at, paused_by, reason FROM flow_pause',
    );
    return rows.map(toPause);
  }

  async ofShop(shop: string): Promise<FlowPause[]> {
    const rows: FlowPauseRow[] = await this.dataSource.query(
      'SELECT shop, flow, paused_at, paused_by, reason FROM flow_pause WHERE shop = $1',
      [shop],
    );
    return rows.map(toPause);
  }

  /** Pauses the flow; a flow already paused keeps who paused it first and when. */
  async pause(shop: string, flow: Flow, pausedBy: string, reason: string | null): Promise<FlowPause> {
    await this.dataSource.query(
      `INSERT INTO flow_pause (shop, flow, paused_by, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (shop, flow) DO NOTHING`,
      [shop, flow, pausedBy, reason],
    );
    const rows: FlowPauseRow[] = await this.dataSource.query(
      'SELECT shop, flow, paused_at, paused_by, reason FROM flow_pause WHERE shop = $1 AND flow = $2',
      [shop, flow],
    );
    return toPause(rows[0]);
  }

  /** True when the flow was paused. */
  async resume(shop: string, flow: Flow): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      'DELETE FROM flow_pause WHERE shop = $1 AND flow = $2',
      [shop, flow],
    );
    return affected > 0;
  }
}
