import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

@ObjectType('OrderLineEdit', { description: 'One line an edit changed, matched by Shopify line item id.' })
export class OrderLineEditModel {
  @Field({ description: 'Shopify line item id.' })
  @ApiProperty({ example: '13701120456778' })
  externalLineId!: string;

  @Field()
  @ApiProperty({ example: 'SKU-1' })
  sku!: string;

  @Field()
  @ApiProperty()
  description!: string;

  @Field(() => Int, { nullable: true, description: 'Quantity the ERP holds; null for a line the edit added.' })
  @ApiPropertyOptional({ type: Number, nullable: true, example: 2 })
  from!: number | null;

  @Field(() => Int, { description: 'Quantity after the edit; 0 for a line the edit removed.' })
  @ApiProperty({ example: 3 })
  to!: number;

  @Field(() => String, { nullable: true, description: 'Line total the ERP holds (decimal string).' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '20.00' })
  fromTotal!: string | null;

  @Field({ description: 'Line total after the edit (decimal string).' })
  @ApiProperty({ example: '30.00' })
  toTotal!: string;
}

@ObjectType('OrderShippingEdit', { description: 'The shipping an edit changed: total of the shipping lines.' })
export class OrderShippingEditModel {
  @Field()
  @ApiProperty({ example: '5.00' })
  from!: string;

  @Field()
  @ApiProperty({ example: '9.00' })
  to!: string;
}

@ObjectType('OrderEditConflict', {
  description:
    'An edit of a Shopify order (quantities, lines, shipping) that was not applied because the ERP had already ' +
    'shipped or invoiced the order. Kept until an operator resolves it; never lost, never a dead letter.',
})
export class OrderEditConflictModel {
  @Field(() => ID)
  @ApiProperty({ example: '12' })
  id!: string;

  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field({ description: 'Shopify order id (legacy id).' })
  @ApiProperty({ example: '5123456789' })
  orderId!: string;

  @Field(() => String, { nullable: true, description: 'Shopify order name, e.g. #1001.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '#1001' })
  orderName!: string | null;

  @Field({ description: 'The ERP document id of the order.' })
  @ApiProperty({ example: '5001' })
  erpId!: string;

  @Field({ description: 'What the ERP reported about its document when the edit was refused.' })
  @ApiProperty({ example: 'orderStatus D (Partially Fulfilled)' })
  erpState!: string;

  @Field(() => [OrderLineEditModel], { description: 'Lines the edit changed against what the ERP holds.' })
  @ApiProperty({ type: [OrderLineEditModel] })
  lines!: OrderLineEditModel[];

  @Field(() => OrderShippingEditModel, { nullable: true, description: 'Shipping change; null when unchanged.' })
  @ApiPropertyOptional({ type: OrderShippingEditModel, nullable: true })
  shipping!: OrderShippingEditModel | null;

  @Field(() => Date, { description: 'Shopify updated_at of the latest edit refused.' })
  @ApiProperty({ type: String, format: 'date-time' })
  sourceUpdatedAt!: Date;

  @Field(() => Date)
  @ApiProperty({ type: String, format: 'date-time' })
  detectedAt!: Date;

  @Field(() => Int, { description: 'Edit events of the order refused while this conflict was open.' })
  @ApiProperty({ example: 1 })
  edits!: number;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  resolvedBy!: string | null;

  @Field(() => Date, { nullable: true })
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  resolutionNote!: string | null;
}
