import { Injectable } from '@nestjs/common';
import type { AlertEpisode, AlertRule } from 'src/modules/alerts/domain/alert-rules';
import { DataSource } from 'typeorm';

interface EpisodeRow {
  id: string;
  rule: string;
  started_at: Date;
  raised_at: Date | null;
}

/** The only reader and writer of `alert_episode`. */
@Injectable()
export class AlertEpisodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The rule's open episode (at most one: a unique index). */
  async open(rule: AlertRule): Promise<AlertEpisode | undefined> {
    const rows: EpisodeRow[] = await this.dataSource.query(
      'SELECT id, rule, started_at, raised_at FROM alert_episode WHERE rule = $1 AND ended_at IS NULL',
      [rule],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : {
          id: String(row.id),
          rule: row.rule as AlertRule,
          startedAt: new Date(row.started_at),
          raisedAt: row.raised_at === null ? null : new Date(row.raised_at),
        };
  }

  async start(rule: AlertRule, startedAt: Date, details: Record<string, unknown>): Promise<AlertEpisode> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'INSERT INTO alert_episode (rule, started_at, details) VALUES ($1, $2, $3::jsonb) RETURNING id',
      [rule, startedAt, JSON.stringify(details)],
    );
    return { id: String(rows[0]?.id), rule, startedAt, raisedAt: null };
  }

  async markRaised(id: string, at: Date, details: Record<string, unknown>): Promise<void> {
    await this.dataSource.query('UPDATE alert_episode SET raised_at = $2, details = $3::jsonb WHERE id = $1', [
      id,
      at,
      JSON.stringify(details),
    ]);
  }

  /** Ends the episode; `recovered` says its recovery was delivered (false: it was never raised). */
  async end(id: string, at: Date, recovered: boolean): Promise<void> {
    await this.dataSource.query(
      'UPDATE alert_episode SET ended_at = $2::timestamptz, recovered_at = CASE WHEN $3::boolean THEN $2::timestamptz END WHERE id = $1',
      [id, at, recovered],
    );
  }
}
