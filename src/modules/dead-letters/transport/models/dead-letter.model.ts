import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { DeadLetterStatus } from 'src/modules/dead-letters/domain/dead-letter.types';
import type { DeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

/**
 * A dead letter as both admin APIs publish it: the GraphQL type `DeadLetter` and the REST schema `DeadLetterDto`
 * (its OpenAPI name from before the two were one class). Instances come from `toDeadLetterView`, so neither API can
 * show the message body or headers.
 */
@ObjectType({ description: 'A message the pipeline gave up on, with why.' })
@ApiSchema({ name: 'DeadLetterDto' })
export class DeadLetter implements DeadLetterView {
  @Field(() => ID)
  @ApiProperty({ example: '42' })
  id!: string;

  @Field()
  @ApiProperty()
  messageId!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  eventId!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  webhookId!: string | null;

  @Field()
  @ApiProperty({ example: 'order' })
  entity!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'orders/create' })
  topic!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'example.myshopify.com' })
  shop!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  shopifyId!: string | null;

  @Field({ description: 'Why it was dead-lettered.' })
  @ApiProperty({ example: 'unknown SKU' })
  reason!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The class of the error: an error code (ORDER_INVALID_PAYLOAD, ORDER_MISSING_SKU…), UNEXPECTED or DELIVERY_LIMIT.',
  })
  @ApiProperty({ type: String, nullable: true, example: 'ORDER_INVALID_PAYLOAD' })
  errorClass!: string | null;

  @Field(() => Int)
  @ApiProperty({ example: 1 })
  attempts!: number;

  // The enum's values are the domain's statuses; GraphQL publishes its member names (DEAD, RETRIED).
  @Field(() => DeadLetterStatusValue)
  @ApiProperty({ enum: DeadLetterStatusValue, enumName: 'DeadLetterStatus' })
  status!: DeadLetterStatus;

  @Field()
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retriedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who retried it (the API key).' })
  @ApiProperty({ type: String, nullable: true, example: 'api-key:ops (#7)' })
  retriedBy!: string | null;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  discardedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who discarded it (the API key).' })
  @ApiProperty({ type: String, nullable: true, example: 'api-key:ops (#7)' })
  discardedBy!: string | null;
}
