import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Deletes history past its retention. Touches only rows no live processing reads any more. */
@Injectable()
export class HistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async prune(days: { inbox: number; audit: number; deadLetters: number }): Promise<Record<string, number>> {
    const run = async (sql: string, value: number): Promise<number> => {
      const result: [unknown[], number] = await this.dataSource.query(sql, [value]);
      return result[1];
    };
    return {
      inbox: await run(`DELETE FROM webhook_inbox WHERE completed_at < now() - make_interval(days => $1)`, days.inbox),
      audit: await run(`DELETE FROM sync_audit_log WHERE created_at < now() - make_interval(days => $1)`, days.audit),
      deadLetters: await run(
        `DELETE FROM dead_letter WHERE status = 'retried' AND retried_at < now() - make_interval(days => $1)`,
        days.deadLetters,
      ),
    };
  }
}
