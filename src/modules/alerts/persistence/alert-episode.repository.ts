import { Injectable } from '@nestjs/common';
import type { AlertChannelName, AlertEpisode, AlertRule } from 'src/modules/alerts/domain/alert-rules';
import { DataSource } from 'typeorm';

interface EpisodeRow {
  id: string;
  rule: string;
  started_at: Date;
  raised_at: Date | null;
  alert_sent_to: string[];
  recovery_sent_to: string[];
}

/** The only reader and writer of `alert_episode`. */
@Injectable()
export class AlertEpisodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The rule's open episode (at most one: a unique index). */
  async open(rule: AlertRule): Promise<AlertEpisode | undefined> {
    const rows: EpisodeRow[] = await this.dataSource.query(
      `SELECT id, rule, started_at, raised_at, alert_sent_to, recovery_sent_to FROM alert_episode
        WHERE rule = $1 AND ended_at IS NULL`,
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
          alertSentTo: row.alert_sent_to as AlertChannelName[],
          recoverySentTo: row.recovery_sent_to as AlertChannelName[],
        };
  }

  async start(rule: AlertRule, startedAt: Date, details: Record<string, unknown>): Promise<AlertEpisode> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'INSERT INTO alert_episode (rule, started_at, details) VALUES ($1, $2, $3::jsonb) RETURNING id',
      [rule, startedAt, JSON.stringify(details)],
    );
    return { id: String(rows[0]?.id), rule, startedAt, raisedAt: null, alertSentTo: [], recoverySentTo: [] };
  }

  /** The episode's alert reached `channel` (the first channel to get it raises the episode). */
  async markRaised(id: string, channel: AlertChannelName, at: Date, details: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_episode
          SET raised_at = COALESCE(raised_at, $3), details = $4::jsonb,
              alert_sent_to = CASE WHEN $2 = ANY(alert_sent_to) THEN alert_sent_to ELSE array_append(alert_sent_to, $2) END
        WHERE id = $1`,
      [id, channel, at, JSON.stringify(details)],
    );
  }

  /** The episode's recovery reached `channel`. */
  async markRecoverySent(id: string, channel: AlertChannelName): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_episode
          SET recovery_sent_to = CASE WHEN $2 = ANY(recovery_sent_to) THEN recovery_sent_to
                                      ELSE array_append(recovery_sent_to, $2) END
        WHERE id = $1`,
      [id, channel],
    );
  }

  /** Ends the episode; `recovered` says its recovery was delivered (false: it was never raised). */
  async end(id: string, at: Date, recovered: boolean): Promise<void> {
    await this.dataSource.query(
      'UPDATE alert_episode SET ended_at = $2::timestamptz, recovered_at = CASE WHEN $3::boolean THEN $2::timestamptz END WHERE id = $1',
      [id, at, recovered],
    );
  }
}
