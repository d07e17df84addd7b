import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

@ObjectType('ErpRequestPreview', { description: 'One request the ERP connector would send (nothing is sent).' })
export class ErpRequestPreviewModel {
  @Field({ description: 'The ERP port operation: upsertCustomer, upsertSalesOrder, cancelSalesOrder, a look-up…' })
  @ApiProperty({ example: 'upsertSalesOrder' })
  operation!: string;

  @Field()
  @ApiProperty({ example: 'PUT' })
  method!: string;

  @Field({ description: 'Path (and query) on the ERP; `<…>` marks a value only a look-up would find.' })
  @ApiProperty({ example: '/services/rest/record/v1/salesOrder/eid:5001?replace=item' })
  path!: string;

  @Field(() => String, { nullable: true, description: 'The request body as JSON text.' })
  @ApiProperty({ type: String, nullable: true })
  body!: string | null;

  @Field(() => String, { nullable: true, description: 'When it is sent only in some cases, which.' })
  @ApiProperty({ type: String, nullable: true })
  condition!: string | null;
}

@ObjectType('PreviewDecision', { description: 'A decision the writer would take: mapping, ownership, stale, item…' })
export class PreviewDecisionModel {
  @Field()
  @ApiProperty({ example: 'mapping' })
  kind!: string;

  @Field()
  @ApiProperty({ example: 'shipping' })
  subject!: string;

  @Field()
  @ApiProperty({ example: "shipping 'Express' → shippingMethods[0]" })
  outcome!: string;
}

@ObjectType('OrderMappingPreview', { description: 'What writing one order would send to the ERP, and why.' })
export class OrderMappingPreviewModel {
  @Field()
  @ApiProperty()
  orderId!: string;

  @Field()
  @ApiProperty({ example: '#1001' })
  orderName!: string;

  @Field(() => Int)
  @ApiProperty()
  mappingVersion!: number;

  @Field({ description: 'False when the writer would send nothing (stale, duplicate, owned by the ERP).' })
  @ApiProperty()
  wouldSend!: boolean;

  @Field(() => [ErpRequestPreviewModel])
  @ApiProperty({ type: [ErpRequestPreviewModel] })
  requests!: ErpRequestPreviewModel[];

  @Field(() => [PreviewDecisionModel])
  @ApiProperty({ type: [PreviewDecisionModel] })
  decisions!: PreviewDecisionModel[];
}

@ObjectType('RequestDifference', { description: 'One request field that differs between the two mappings.' })
export class RequestDifferenceModel {
  @Field({ description: 'Operation, method and path of the request.' })
  @ApiProperty({ example: 'upsertSalesOrder PUT /services/rest/record/v1/salesOrder/eid:5001' })
  request!: string;

  @Field({ description: 'JSON path in the body, e.g. shipMethod.id; (request) for a whole request.' })
  @ApiProperty({ example: 'shipMethod.id' })
  field!: string;

  @Field(() => String, { nullable: true, description: 'JSON text under the active version; null when absent.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  active!: string | null;

  @Field(() => String, { nullable: true, description: 'JSON text under the draft version; null when absent.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  draft!: string | null;
}

@ObjectType('ChangedOrder')
export class ChangedOrderModel {
  @Field()
  @ApiProperty()
  orderId!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  orderName!: string | null;

  @Field(() => [RequestDifferenceModel])
  @ApiProperty({ type: [RequestDifferenceModel] })
  differences!: RequestDifferenceModel[];
}

@ObjectType('UnmappableOrder')
export class UnmappableOrderModel {
  @Field()
  @ApiProperty()
  orderId!: string;

  @Field()
  @ApiProperty()
  reason!: string;
}

@ObjectType('MappingChangePreview', { description: 'Past orders whose ERP requests a draft version would change.' })
export class MappingChangePreviewModel {
  @Field(() => Int)
  @ApiProperty()
  activeVersion!: number;

  @Field(() => Int)
  @ApiProperty()
  draftVersion!: number;

  @Field(() => Int, { description: 'Past orders replayed.' })
  @ApiProperty()
  examined!: number;

  @Field(() => [ChangedOrderModel], { description: 'Only the orders whose requests differ, field by field.' })
  @ApiProperty({ type: [ChangedOrderModel] })
  changed!: ChangedOrderModel[];

  @Field(() => [UnmappableOrderModel])
  @ApiProperty({ type: [UnmappableOrderModel] })
  unmappable!: UnmappableOrderModel[];
}
