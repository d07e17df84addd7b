import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's indexes lead with the id they look up: `(webhook_id, shop, topic)`, `(event_id, shop, topic)` (both
 * unique) and `(resource_id, shop, topic)`. Led by `(shop, topic)`, each of the three was a candidate for every lookup
 * of a delivery (`shop = $1 AND topic = $2 AND webhook_id = $3`), and with statistics that did not yet know the
 * table had grown, PostgreSQL chose the wrong one: a scan of every delivery of the shop and topic per message (80 ms
 * at 120,000 rows, found by the 30-minute soak, where the writers fell behind a 100/s load). Led by its own id, each
 * index serves only the lookups by that id. The new unique indexes exist before the old ones are dropped, so the
 * inbox is never without its uniqueness.
 */
export class WebhookInboxResourceIndex1768006800000 implements MigrationInterface {
  name = 'WebhookInboxResourceIndex1768006800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE UNIQUE INDEX webhook_inbox_webhook_id_uq ON webhook_inbox (webhook_id, shop, topic)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX webhook_inbox_event_id_uq ON webhook_inbox (event_id, shop, topic)');
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_webhook_uq');
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_event_uq');
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_resource_idx');
    await queryRunner.query('CREATE INDEX webhook_inbox_resource_idx ON webhook_inbox (resource_id, shop, topic)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE UNIQUE INDEX webhook_inbox_webhook_uq ON webhook_inbox (shop, topic, webhook_id)');
    await queryRunner.query('CREATE UNIQUE INDEX webhook_inbox_event_uq ON webhook_inbox (shop, topic, event_id)');
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_webhook_id_uq');
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_event_id_uq');
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_resource_idx');
    await queryRunner.query('CREATE INDEX webhook_inbox_resource_idx ON webhook_inbox (shop, topic, resource_id)');
  }
}
