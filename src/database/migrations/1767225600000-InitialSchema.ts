import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_audit_log (
        id           bigserial PRIMARY KEY,
        event_id     text        NOT NULL,
        entity       text        NOT NULL,
        topic        text,
        shop         text        NOT NULL,
        shopify_id   text,
        erp_id       text,
        status       text        NOT NULL,
        reason       text,
        attempt      integer     NOT NULL DEFAULT 0,
        latency_ms   integer,
        error        text,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX sync_audit_log_event_id_idx ON sync_audit_log (event_id)`);
    await queryRunner.query(`CREATE INDEX sync_audit_log_shopify_id_idx ON sync_audit_log (shopify_id)`);
    await queryRunner.query(`CREATE INDEX sync_audit_log_entity_status_idx ON sync_audit_log (entity, status, id)`);
    await queryRunner.query(`CREATE INDEX sync_audit_log_created_at_idx ON sync_audit_log (created_at)`);

    // Deliveries already processed: Shopify's docs name both X-Shopify-Webhook-Id and X-Shopify-Event-Id as the
    // dedupe key, so both are unique per (shop, topic).
    await queryRunner.query(`
      CREATE TABLE webhook_inbox (
        shop         text        NOT NULL,
        topic        text        NOT NULL,
        webhook_id   text        NOT NULL,
        event_id     text        NOT NULL,
        resource_id  text,
        outcome      text        NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX webhook_inbox_webhook_uq ON webhook_inbox (shop, topic, webhook_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX webhook_inbox_event_uq ON webhook_inbox (shop, topic, event_id)`);
    await queryRunner.query(`CREATE INDEX webhook_inbox_completed_at_idx ON webhook_inbox (completed_at)`);

    await queryRunner.query(`
      CREATE TABLE order_sync_state (
        shop                    text        NOT NULL,
        shopify_order_id        text        NOT NULL,
        last_applied_updated_at timestamptz NOT NULL,
        status                  text        NOT NULL,
        erp_id                  text,
        customer_erp_id         text,
        updated_at              timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, shopify_order_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE customer_sync_state (
        shop                 text        NOT NULL,
        customer_external_id text        NOT NULL,
        erp_id               text        NOT NULL,
        draft_hash           text        NOT NULL,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, customer_external_id)
      )`);

    // Webhooks accepted while RabbitMQ was unreachable; relayed in id order when it returns.
    await queryRunner.query(`
      CREATE TABLE ingest_outbox (
        id          bigserial   PRIMARY KEY,
        exchange    text        NOT NULL,
        routing_key text        NOT NULL,
        message_id  text        NOT NULL,
        headers     jsonb       NOT NULL,
        body        bytea       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE dead_letter (
        id          bigserial   PRIMARY KEY,
        message_id  text        NOT NULL,
        event_id    text,
        webhook_id  text,
        entity      text        NOT NULL,
        topic       text,
        shop        text,
        shopify_id  text,
        routing_key text        NOT NULL,
        headers     jsonb       NOT NULL,
        body        bytea       NOT NULL,
        reason      text        NOT NULL,
        last_error  text,
        attempts    integer     NOT NULL DEFAULT 0,
        status      text        NOT NULL DEFAULT 'dead',
        created_at  timestamptz NOT NULL DEFAULT now(),
        retried_at  timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX dead_letter_message_id_uq ON dead_letter (message_id)`);
    await queryRunner.query(`CREATE INDEX dead_letter_status_idx ON dead_letter (status, id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'dead_letter',
      'ingest_outbox',
      'customer_sync_state',
      'order_sync_state',
      'webhook_inbox',
      'sync_audit_log',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
