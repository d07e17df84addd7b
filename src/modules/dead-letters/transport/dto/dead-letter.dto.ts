import { ApiProperty } from '@nestjs/swagger';
import type { DeadLetterRow } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

/** A dead letter as REST shows it; never the message body or headers (they may hold customer data). */
export class DeadLetterDto {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty()
  messageId!: string;

  @ApiProperty({ type: String, nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  webhookId!: string | null;

  @ApiProperty({ example: 'order' })
  entity!: string;

  @ApiProperty({ type: String, nullable: true, example: 'orders/create' })
  topic!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'example.myshopify.com' })
  shop!: string | null;

  @ApiProperty({ type: String, nullable: true })
  shopifyId!: string | null;

  @ApiProperty({ example: 'unknown SKU' })
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({ enum: DeadLetterStatusValue, enumName: 'DeadLetterStatus' })
  status!: DeadLetterStatusValue;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retriedAt!: Date | null;

  /** Field by field, so that nothing added to the row (body, headers) can leak through. */
  static fromRow(row: DeadLetterRow): DeadLetterDto {
    return Object.assign(new DeadLetterDto(), {
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
