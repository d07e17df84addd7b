import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditModule } from 'src/modules/audit';
import { DeadLettersModule } from 'src/modules/dead-letters';
import { ErpPersistenceModule } from 'src/modules/erp';
import { PruneHistory, type HistoryRetention } from 'src/modules/maintenance';
import { OrderHistoryModule } from 'src/modules/orders';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import { DataSource } from 'typeorm';

const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.pruneHistory.database, 0);

/** The app's global infrastructure for the modules under test: the real DataSource; RabbitMQ is never reached. */
function infrastructure(dataSource: DataSource) {
  @Global()
  @Module({
    providers: [
      { provide: DataSource, useValue: dataSource },
      { provide: MandatoryPublisher, useValue: {} },
    ],
    exports: [DataSource, MandatoryPublisher],
  })
  class InfrastructureModule {}
  return InfrastructureModule;
}

/**
 * History retention on the real PostgreSQL (own database, real migrations), through the maintenance use case with
 * the owner modules as the maintenance module imports them: each owner deletes its own rows past their retention
 * and keeps the recent ones.
 */
describe('PruneHistory (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let prune: PruneHistory;
  const retention: HistoryRetention = { inboxRetentionDays: 7, auditRetentionDays: 90, deadLetterRetentionDays: 30 };

  const ids = async (sql: string): Promise<string[]> =>
    (await dataSource.query<Array<{ id: string }>>(sql)).map((r) => r.id);

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    const moduleRef = await Test.createTestingModule({
      imports: [infrastructure(dataSource), AuditModule, DeadLettersModule, ErpPersistenceModule, OrderHistoryModule],
      providers: [PruneHistory],
    }).compile();
    prune = moduleRef.get(PruneHistory);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('deletes what each owner keeps no longer, and only that', async () => {
    await dataSource.query(
      `INSERT INTO webhook_inbox (shop, topic, webhook_id, event_id, outcome, completed_at)
       VALUES ('s', 'orders/create', 'old', 'old', 'applied', now() - interval '7 days 1 hour'),
              ('s', 'orders/create', 'recent', 'recent', 'applied', now() - interval '6 days 23 hours')`,
    );
    await dataSource.query(
      `INSERT INTO sync_audit_log (event_id, entity, shop, status, created_at)
       VALUES ('old', 'order', 's', 'succeeded', now() - interval '90 days 1 hour'),
              ('recent', 'order', 's', 'succeeded', now() - interval '89 days 23 hours')`,
    );
    await dataSource.query(
      `INSERT INTO dead_letter (message_id, entity, routing_key, headers, body, reason, status, created_at, retried_at)
       VALUES ('retried-old', 'order', 'k', '{}', '', 'r', 'retried', now() - interval '60 days',
               now() - interval '30 days 1 hour'),
              ('retried-recent', 'order', 'k', '{}', '', 'r', 'retried', now() - interval '60 days',
               now() - interval '29 days 23 hours'),
              ('dead-old', 'order', 'k', '{}', '', 'r', 'dead', now() - interval '400 days', NULL)`,
    );
    await dataSource.query(
      `INSERT INTO dead_letter (message_id, entity, routing_key, headers, body, reason, status, created_at, discarded_at)
       VALUES ('discarded-old', 'order', 'k', '{}', '', 'r', 'discarded', now() - interval '60 days',
               now() - interval '30 days 1 hour'),
              ('discarded-recent', 'order', 'k', '{}', '', 'r', 'discarded', now() - interval '60 days',
               now() - interval '29 days 23 hours')`,
    );
    // Creates in doubt: settled over an hour ago, settled just now, still settling; a lock's record of Redis losing
    // its state, however old, is kept (it tells a later empty Redis from a first start).
    await dataSource.query(
      `INSERT INTO erp_create_doubt (lock_key, settles_at, every_key)
       VALUES ('lock:cin7:sale:old', now() - interval '61 minutes', false),
              ('lock:cin7:sale:just-settled', now() - interval '1 minute', false),
              ('lock:cin7:sale:settling', now() + interval '2 minutes', false),
              ('lock', now() - interval '400 days', true)`,
    );

    await expect(prune.execute(retention)).resolves.toEqual({ inbox: 1, audit: 1, deadLetters: 2, erpCreateDoubts: 1 });

    expect(await ids('SELECT webhook_id AS id FROM webhook_inbox ORDER BY 1')).toEqual(['recent']);
    expect(await ids('SELECT event_id AS id FROM sync_audit_log ORDER BY 1')).toEqual(['recent']);
    // Retried or discarded past the retention: deleted. A dead letter nobody settled waits for an operator, however old.
    expect(await ids('SELECT message_id AS id FROM dead_letter ORDER BY 1')).toEqual([
      'dead-old',
      'discarded-recent',
      'retried-recent',
    ]);
    expect(await ids('SELECT lock_key AS id FROM erp_create_doubt ORDER BY 1')).toEqual([
      'lock',
      'lock:cin7:sale:just-settled',
      'lock:cin7:sale:settling',
    ]);

    // Nothing more is past its retention: a second run deletes nothing.
    await expect(prune.execute(retention)).resolves.toEqual({ inbox: 0, audit: 0, deadLetters: 0, erpCreateDoubts: 0 });
  });

  it('takes each retention from the job payload, owner by owner', async () => {
    await expect(
      prune.execute({ inboxRetentionDays: 6, auditRetentionDays: 90, deadLetterRetentionDays: 30 }),
    ).resolves.toEqual({ inbox: 1, audit: 0, deadLetters: 0, erpCreateDoubts: 0 });
    await expect(
      prune.execute({ inboxRetentionDays: 6, auditRetentionDays: 89, deadLetterRetentionDays: 29 }),
    ).resolves.toEqual({ inbox: 0, audit: 1, deadLetters: 2, erpCreateDoubts: 0 });
    expect(await ids('SELECT message_id AS id FROM dead_letter ORDER BY 1')).toEqual(['dead-old']);
  });
});
