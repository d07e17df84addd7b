import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { OrderTrace, TraceHop } from 'src/modules/trace/domain/order-trace';

@ObjectType({ description: 'One hop of an order trace: what happened, when, and the ids that link it to the next.' })
@ApiSchema({ name: 'OrderTraceHopDto' })
export class OrderTraceHopModel {
  @Field(() => Date)
  @ApiProperty({ type: Date })
  at!: Date;

  @Field({ description: '`webhook`, `message` (a queue message step), `dead_letter`, `erp_document` or `fulfilment`.' })
  @ApiProperty({ enum: ['webhook', 'message', 'dead_letter', 'erp_document', 'fulfilment'], example: 'webhook' })
  kind!: string;

  @Field({
    description:
      'webhook: accepted, stale, erp-owned, duplicate, or received (not processed yet); message: the audit status ' +
      '(queued, sent_to_erp, retry_scheduled, dead_lettered, replayed, succeeded…); dead_letter: dead or retried; ' +
      'erp_document: open or cancelled; fulfilment: created, pending, retry, failed.',
  })
  @ApiProperty({ example: 'accepted' })
  outcome!: string;

  @Field(() => String, { nullable: true, description: 'order, refund, fulfillment…' })
  @ApiProperty({ type: String, nullable: true, example: 'order' })
  entity!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'orders/create' })
  topic!: string | null;

  @Field(() => String, { nullable: true, description: 'X-Shopify-Webhook-Id, when recorded.' })
  @ApiProperty({ type: String, nullable: true, example: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' })
  webhookId!: string | null;

  @Field(() => String, { nullable: true, description: 'X-Shopify-Event-Id, or the step’s own event id.' })
  @ApiProperty({ type: String, nullable: true, example: '98880550-7158-44d4-b7cd-2c97c8a091b5' })
  eventId!: string | null;

  @Field(() => Int, { nullable: true, description: 'The attempt (0 = first) of a message step, or attempts made.' })
  @ApiProperty({ type: Number, nullable: true, example: 0 })
  attempt!: number | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'SO-10023' })
  erpId!: string | null;

  @Field(() => String, { nullable: true, description: 'The ERP document’s reference: Shopify’s order name.' })
  @ApiProperty({ type: String, nullable: true, example: '#1001' })
  reference!: string | null;

  @Field(() => Int, { nullable: true, description: 'The mapping version that produced the ERP document.' })
  @ApiProperty({ type: Number, nullable: true, example: 3 })
  mappingVersion!: number | null;

  @Field(() => String, { nullable: true, description: 'A Shopify id other than the order’s (a fulfilment GID).' })
  @ApiProperty({ type: String, nullable: true, example: 'gid://shopify/Fulfillment/255858046' })
  shopifyId!: string | null;

  @Field(() => String, { nullable: true, description: 'The ERP shipment a fulfilment came from: connector:id.' })
  @ApiProperty({ type: String, nullable: true, example: 'netsuite:8812' })
  erpShipment!: string | null;

  @Field(() => String, { nullable: true, description: 'Why: a skip reason, an error, a dead letter’s reason.' })
  @ApiProperty({ type: String, nullable: true, example: null })
  detail!: string | null;
}

@ObjectType({ description: 'An order trace in figures.' })
@ApiSchema({ name: 'OrderTraceSummaryDto' })
export class OrderTraceSummaryModel {
  @Field({ description: 'received, dead_lettered, in_erp or fulfilled.' })
  @ApiProperty({ enum: ['received', 'dead_lettered', 'in_erp', 'fulfilled'], example: 'fulfilled' })
  stage!: string;

  @Field(() => Date)
  @ApiProperty({ type: Date })
  firstSeenAt!: Date;

  @Field(() => Date)
  @ApiProperty({ type: Date })
  lastSeenAt!: Date;

  @Field(() => Int)
  @ApiProperty({ example: 2 })
  webhooks!: number;

  @Field(() => Int)
  @ApiProperty({ example: 0 })
  duplicateWebhooks!: number;

  @Field(() => Int)
  @ApiProperty({ example: 0 })
  staleWebhooks!: number;

  @Field(() => Int, { description: 'ERP write attempts of the order’s messages.' })
  @ApiProperty({ example: 1 })
  erpAttempts!: number;

  @Field(() => Int)
  @ApiProperty({ example: 0 })
  retriesScheduled!: number;

  @Field(() => Int)
  @ApiProperty({ example: 0 })
  deadLetters!: number;

  @Field(() => Int, { description: 'Dead letters still waiting for an operator.' })
  @ApiProperty({ example: 0 })
  openDeadLetters!: number;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'SO-10023' })
  erpId!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: '#1001' })
  reference!: string | null;

  @Field(() => Int, { nullable: true })
  @ApiProperty({ type: Number, nullable: true, example: 3 })
  mappingVersion!: number | null;

  @Field(() => Int, { description: 'Shopify fulfilments created from the order’s ERP shipments.' })
  @ApiProperty({ example: 1 })
  fulfilments!: number;

  @Field(() => Int, { description: 'Shopify refunds of the order recorded in the ERP (credit memos).' })
  @ApiProperty({ example: 0 })
  refunds!: number;
}

@ObjectType({ description: 'One Shopify order followed end to end: its hops in time order, and a summary.' })
@ApiSchema({ name: 'OrderTraceDto' })
export class OrderTraceModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field({ description: 'The numeric Shopify order id.' })
  @ApiProperty({ example: '5612345678901' })
  orderId!: string;

  @Field()
  @ApiProperty({ example: 'gid://shopify/Order/5612345678901' })
  orderGid!: string;

  @Field(() => [OrderTraceHopModel])
  @ApiProperty({ type: [OrderTraceHopModel] })
  hops!: OrderTraceHopModel[];

  @Field(() => OrderTraceSummaryModel)
  @ApiProperty({ type: OrderTraceSummaryModel })
  summary!: OrderTraceSummaryModel;
}

export function toOrderTraceModel(trace: OrderTrace): OrderTraceModel {
  return {
    shop: trace.shop,
    orderId: trace.orderId,
    orderGid: trace.orderGid,
    hops: trace.hops.map((hop: TraceHop) => ({ ...hop })),
    summary: { ...trace.summary },
  };
}
