import { Injectable } from '@nestjs/common';
import type { CreateDoubtStore } from 'src/modules/erp/writer/redis-keyed-lock';
import { DataSource } from 'typeorm';

/** Records settled this long ago go at the next prune (the margin covers clocks of hosts that differ a little). */
const PRUNE_AFTER_SETTLED = '1 hour';

/**
 * Creates in doubt, durably (table erp_create_doubt): a create of a record whose answer never came, until when it
 * may still commit; and per lock, until when creates in flight when Redis lost the locks may still be recorded. The
 * keyed lock writes a row only when a create is in doubt or Redis lost its state, and reads one only before a create
 * of a record that may exist. The only code that reads or writes the table.
 */
@Injectable()
export class ErpCreateDoubtRepository implements CreateDoubtStore {
  constructor(private readonly dataSource: DataSource) {}

  async record(key: string, settlesAt: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_create_doubt (lock_key, settles_at) VALUES ($1, $2)
       ON CONFLICT (lock_key) DO UPDATE
         SET settles_at = GREATEST(erp_create_doubt.settles_at, EXCLUDED.settles_at), recorded_at = now()`,
      [key, new Date(settlesAt)],
    );
  }

  async settlesAt(key: string, everyKey: string): Promise<number> {
    const rows: Array<{ settles_at: Date | null }> = await this.dataSource.query(
      'SELECT max(settles_at) AS settles_at FROM erp_create_doubt WHERE lock_key IN ($1, $2)',
      [key, everyKey],
    );
    return rows[0]?.settles_at?.getTime() ?? 0;
  }

  async lockStateLost(everyKey: string, settlesAt: number): Promise<boolean> {
    const rows: Array<{ first: boolean }> = await this.dataSource.query(
      `INSERT INTO erp_create_doubt (lock_key, settles_at, every_key) VALUES ($1, now(), true)
       ON CONFLICT (lock_key) DO UPDATE
         SET settles_at = GREATEST(erp_create_doubt.settles_at, $2), recorded_at = now()
       RETURNING (xmax = 0) AS first`,
      [everyKey, new Date(settlesAt)],
    );
    return rows[0]?.first !== true;
  }

  /** Deletes the records of creates that have settled (never a lock's `every_key` row); returns how many. */
  async pruneSettled(): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM erp_create_doubt WHERE NOT every_key AND settles_at < now() - interval '${PRUNE_AFTER_SETTLED}'`,
    );
    return deleted;
  }
}
