import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AuditStatus } from 'src/modules/audit/domain/audit.types';
import type { AuditLogRow } from 'src/modules/audit/persistence/audit-log.repository';

registerEnumType(AuditStatus, { name: 'AuditStatus', description: 'A step an event went through.' });

/** One step of one event through the pipeline, as the admin API shows it. */
@ObjectType({ description: 'One step of one event through the sync pipeline.' })
export class SyncAuditLog {
  @Field(() => ID)
  id!: string;

  @Field({ description: "Shopify's event id (X-Shopify-Event-Id) or our own id for ERP-side events." })
  eventId!: string;

  @Field({ description: 'order, customer, product, inventory, fulfillment or webhook.' })
  entity!: string;

  @Field(() => String, { nullable: true, description: 'Webhook topic, e.g. orders/create.' })
  topic!: string | null;

  @Field()
  shop!: string;

  @Field(() => String, { nullable: true })
  shopifyId!: string | null;

  @Field(() => String, { nullable: true })
  erpId!: string | null;

  @Field(() => AuditStatus)
  status!: AuditStatus;

  @Field(() => String, {
    nullable: true,
    description: 'Why the step ended as it did (stale, duplicate, unknown SKU…).',
  })
  reason!: string | null;

  @Field(() => Int)
  attempt!: number;

  @Field(() => Int, { nullable: true })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field()
  createdAt!: Date;

  static fromRow(row: AuditLogRow): SyncAuditLog {
    return Object.assign(new SyncAuditLog(), {
      id: row.id,
      eventId: row.eventId,
      entity: row.entity,
      topic: row.topic,
      shop: row.shop,
      shopifyId: row.shopifyId,
      erpId: row.erpId,
      // Rows are written only by AuditWriter, from AuditStatus values.
      status: row.status as AuditStatus,
      reason: row.reason,
      attempt: row.attempt,
      latencyMs: row.latencyMs,
      error: row.error,
      createdAt: row.createdAt,
    });
  }
}
