import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { DeadLetterRow } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

/**
 * A message the pipeline gave up on. The message body and headers are deliberately absent: they may hold customer
 * data (names, addresses, emails) that the admin API has no need to show.
 */
@ObjectType({ description: 'A message the pipeline gave up on, with why.' })
export class DeadLetter {
  @Field(() => ID)
  id!: string;

  @Field()
  messageId!: string;

  @Field(() => String, { nullable: true })
  eventId!: string | null;

  @Field(() => String, { nullable: true })
  webhookId!: string | null;

  @Field()
  entity!: string;

  @Field(() => String, { nullable: true })
  topic!: string | null;

  @Field(() => String, { nullable: true })
  shop!: string | null;

  @Field(() => String, { nullable: true })
  shopifyId!: string | null;

  @Field({ description: 'Why it was dead-lettered.' })
  reason!: string;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => Int)
  attempts!: number;

  @Field(() => DeadLetterStatusValue)
  status!: DeadLetterStatusValue;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  retriedAt!: Date | null;

  /** Field by field, so that nothing added to the row (body, headers) can leak through. */
  static fromRow(row: DeadLetterRow): DeadLetter {
    return Object.assign(new DeadLetter(), {
      id: row.id,
      messageId: row.messageId,
      eventId: row.eventId ?? null,
      webhookId: row.webhookId ?? null,
      entity: row.entity,
      topic: row.topic ?? null,
      shop: row.shop ?? null,
      shopifyId: row.shopifyId ?? null,
      reason: row.reason,
      lastError: row.lastError ?? null,
      attempts: row.attempts,
      status: row.status === 'retried' ? DeadLetterStatusValue.RETRIED : DeadLetterStatusValue.DEAD,
      createdAt: row.createdAt,
      retriedAt: row.retriedAt,
    });
  }
}
