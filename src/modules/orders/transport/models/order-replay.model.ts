import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export enum OrderReplayStatusValue {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  PUBLISHED = 'PUBLISHED',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(OrderReplayStatusValue, {
  name: 'OrderReplayStatus',
  description:
    'QUEUED → RUNNING (listing and publishing) → PUBLISHED (every order on the pipeline) → DONE (every order ' +
    'processed by the order writer: written, or left as the ERP already had it). FAILED: the run stopped on an ' +
    'error; it is retried, and resumeOrderReplay resumes it after its last completed page.',
});

export enum OrderResyncOutcomeValue {
  PUBLISHED = 'PUBLISHED',
  NOT_FOUND = 'NOT_FOUND',
}
registerEnumType(OrderResyncOutcomeValue, { name: 'OrderResyncOutcome' });

@ObjectType({ description: 'A background order replay: its target, progress through the pipeline, and status.' })
export class OrderReplayModel {
  @Field(() => ID, { description: 'The replay id; also what its background job is known by.' })
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field(() => OrderReplayStatusValue)
  @ApiProperty({ enum: OrderReplayStatusValue, enumName: 'OrderReplayStatus' })
  status!: OrderReplayStatusValue;

  @Field(() => Date, { nullable: true, description: 'Orders created at or after this instant (a range replay).' })
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  createdFrom!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Orders created at or before this instant (a range replay).' })
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  createdTo!: Date | null;

  @Field(() => Int, { nullable: true, description: 'How many order ids it names (an id replay).' })
  @ApiPropertyOptional({ type: Number, nullable: true })
  orderIdCount!: number | null;

  @Field({ description: 'Applies even versions the ERP already holds (one more upsert of the same document).' })
  @ApiProperty()
  force!: boolean;

  @Field(() => Int, { description: 'Orders read and published per second at most.' })
  @ApiProperty()
  ratePerSecond!: number;

  @Field(() => Int, { description: 'Orders Shopify listed (or ids named) so far.' })
  @ApiProperty()
  listed!: number;

  @Field(() => Int, { description: 'Orders published into the order pipeline.' })
  @ApiProperty()
  published!: number;

  @Field(() => Int, { description: 'Published orders the order writer has processed (written or left as they were).' })
  @ApiProperty()
  processed!: number;

  @Field(() => Int, { description: 'Of those, written to the ERP.' })
  @ApiProperty()
  applied!: number;

  @Field(() => Int, { description: 'Orders Shopify no longer had when read.' })
  @ApiProperty()
  notFound!: number;

  @Field(() => String, { nullable: true, description: 'Why the last run stopped (FAILED).' })
  @ApiPropertyOptional({ type: String, nullable: true })
  error!: string | null;

  @Field()
  @ApiProperty()
  requestedBy!: string;

  @Field()
  @ApiProperty()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  finishedAt!: Date | null;
}

@ObjectType({ description: 'One order re-synced: read from Shopify now and published into the order pipeline.' })
export class OrderResyncModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field({ description: 'The Shopify order id (legacy id).' })
  @ApiProperty({ example: '5123456789' })
  orderId!: string;

  @Field(() => OrderResyncOutcomeValue)
  @ApiProperty({ enum: OrderResyncOutcomeValue, enumName: 'OrderResyncOutcome' })
  outcome!: OrderResyncOutcomeValue;

  @Field(() => String, { nullable: true, description: 'The pipeline event id (see syncAuditLogs / orderTrace).' })
  @ApiPropertyOptional({ type: String, nullable: true })
  eventId!: string | null;

  @Field(() => String, { nullable: true, description: 'Shopify’s updated_at of the version published.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  sourceUpdatedAt!: string | null;

  @Field()
  @ApiProperty()
  force!: boolean;
}
