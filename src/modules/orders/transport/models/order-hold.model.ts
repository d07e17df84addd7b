import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ReplayedOrder } from 'src/modules/orders/application/replay-orders.use-case';
import type { SettleOrderHoldResult } from 'src/modules/orders/application/settle-order-hold.use-case';
import type { OrderHold } from 'src/modules/orders/persistence/order-hold.repository';

export enum OrderHoldStatusValue {
  HELD = 'held',
  RELEASED = 'released',
  CANCELLED = 'cancelled',
}
registerEnumType(OrderHoldStatusValue, {
  name: 'OrderHoldStatus',
  description: 'HELD: not in the ERP, waiting for an operator; RELEASED: sent to the ERP; CANCELLED: kept out of it.',
});

@ObjectType({ description: 'An order held before its first ERP write (Shopify rated it high risk).' })
@ApiSchema({ name: 'HeldOrder' })
export class HeldOrderModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field({ description: 'The Shopify order id (legacy id).' })
  @ApiProperty({ example: '5123456789' })
  orderId!: string;

  @Field(() => String, { nullable: true, description: 'Shopify’s order name, e.g. #1001.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '#1001' })
  orderName!: string | null;

  @Field(() => OrderHoldStatusValue)
  @ApiProperty({ enum: OrderHoldStatusValue, enumName: 'OrderHoldStatus' })
  status!: OrderHoldStatusValue;

  @Field({ description: 'Why it is held, e.g. "high risk: risk level HIGH".' })
  @ApiProperty({ example: 'high risk: risk level HIGH' })
  reason!: string;

  @Field(() => String, { nullable: true, description: 'Highest risk level assessed: HIGH, MEDIUM, LOW, NONE.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'HIGH' })
  riskLevel!: string | null;

  @Field(() => String, { nullable: true, description: 'Shopify’s recommendation: ACCEPT, INVESTIGATE, CANCEL, NONE.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'CANCEL' })
  riskRecommendation!: string | null;

  @Field({ description: 'Topic of the latest event kept while held.' })
  @ApiProperty({ example: 'orders/updated' })
  latestTopic!: string;

  @Field({ description: 'Shopify’s updated_at of the latest event kept.' })
  @ApiProperty({ type: String, format: 'date-time' })
  sourceUpdatedAt!: Date;

  @Field()
  @ApiProperty({ type: String, format: 'date-time' })
  heldAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When an operator released or cancelled it.' })
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  settledAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who released or cancelled it.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  settledBy!: string | null;
}

@ObjectType({ description: 'One page of held orders, oldest first.' })
@ApiSchema({ name: 'HeldOrderPage' })
export class HeldOrderPageModel {
  @Field(() => [HeldOrderModel])
  @ApiProperty({ type: [HeldOrderModel] })
  nodes!: HeldOrderModel[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on the last.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  nextCursor!: string | null;
}

@ObjectType({ description: 'What releasing or cancelling a hold did.' })
@ApiSchema({ name: 'OrderHoldSettlement' })
export class OrderHoldSettlementModel {
  @Field(() => HeldOrderModel)
  @ApiProperty({ type: HeldOrderModel })
  hold!: HeldOrderModel;

  @Field(() => String, {
    nullable: true,
    description: 'On release: the pipeline event id of the order published (see syncAuditLogs / orderTrace).',
  })
  @ApiPropertyOptional({ type: String, nullable: true })
  eventId!: string | null;

  @Field({ description: 'On release: false when the order is no longer in Shopify (nothing was published).' })
  @ApiProperty()
  published!: boolean;
}

export function toHeldOrderModel(hold: OrderHold): HeldOrderModel {
  return {
    shop: hold.shop,
    orderId: hold.orderId,
    orderName: hold.orderName,
    status: hold.status as OrderHoldStatusValue,
    reason: hold.reason,
    riskLevel: hold.riskLevel,
    riskRecommendation: hold.riskRecommendation,
    latestTopic: hold.topic,
    sourceUpdatedAt: hold.sourceUpdatedAt,
    heldAt: hold.heldAt,
    settledAt: hold.settledAt,
    settledBy: hold.settledBy,
  };
}

export function toSettlementModel(
  result: Extract<SettleOrderHoldResult, { outcome: 'released' | 'cancelled' }>,
): OrderHoldSettlementModel {
  const published: ReplayedOrder | undefined = result.outcome === 'released' ? result.published : undefined;
  return {
    hold: toHeldOrderModel(result.hold),
    eventId: published?.outcome === 'published' ? published.eventId : null,
    published: published?.outcome === 'published',
  };
}
