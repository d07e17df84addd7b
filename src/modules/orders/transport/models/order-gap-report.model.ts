import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ErpSalesOrderDocument } from 'src/modules/erp';
import type { OrderGapReport } from 'src/modules/orders/application/report-order-gaps.use-case';

@ObjectType({ description: 'A sales order document as the ERP listed it.' })
@ApiSchema({ name: 'ErpOrderDocumentDto' })
export class ErpOrderDocumentModel {
  @Field({ description: 'The ERP’s own id (NetSuite internal id, Business Central GUID, Cin7 SaleID).' })
  @ApiProperty({ example: '5123' })
  erpId!: string;

  @Field(() => String, { nullable: true, description: 'The ERP’s document number.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'SO5123' })
  documentNumber!: string | null;

  @Field({ description: 'The Shopify order id the document belongs to.' })
  @ApiProperty({ example: '6004604174410' })
  orderId!: string;

  @Field({ description: '`externalId` (our key), or `reference` (NetSuite: no external id, the order name).' })
  @ApiProperty({ enum: ['externalId', 'reference'] })
  matchedBy!: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-12-01' })
  orderDate!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217; null when the ERP leaves it implicit.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'EUR' })
  currency!: string | null;

  @Field({ description: 'Total including tax, exact decimal.' })
  @ApiProperty({ example: '94.00' })
  total!: string;
}

@ObjectType({ description: 'A Shopify order the ERP has no sales order for.' })
@ApiSchema({ name: 'MissingOrderDto' })
export class MissingOrderModel {
  @Field()
  @ApiProperty({ example: '6004604174410' })
  orderId!: string;

  @Field()
  @ApiProperty({ example: '#1019' })
  name!: string;

  @Field()
  @ApiProperty({ example: '2026-12-01T10:00:00Z' })
  createdAt!: string;
}

@ObjectType({
  description: 'A Shopify order with two or more sales orders in the ERP. Reported only; nothing is deleted.',
})
@ApiSchema({ name: 'DuplicatedOrderDto' })
export class DuplicatedOrderModel {
  @Field()
  @ApiProperty({ example: '6004604174410' })
  orderId!: string;

  @Field()
  @ApiProperty({ example: '#1019' })
  name!: string;

  @Field(() => [ErpOrderDocumentModel])
  @ApiProperty({ type: [ErpOrderDocumentModel] })
  documents!: ErpOrderDocumentModel[];
}

@ObjectType({ description: 'An order whose sales order total misses Shopify’s by more than the rounding tolerance.' })
@ApiSchema({ name: 'OrderTotalMismatchDto' })
export class OrderTotalMismatchModel {
  @Field()
  @ApiProperty({ example: '6004604174410' })
  orderId!: string;

  @Field()
  @ApiProperty({ example: '#1019' })
  name!: string;

  @Field()
  @ApiProperty({ example: '5123' })
  erpId!: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'SO5123' })
  documentNumber!: string | null;

  @Field({ description: 'The currency compared in.' })
  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @Field({ description: 'Shopify’s current total.' })
  @ApiProperty({ example: '94.00' })
  shopifyTotal!: string;

  @Field()
  @ApiProperty({ example: '93.80' })
  erpTotal!: string;

  @Field(() => String, {
    nullable: true,
    description: 'shopifyTotal − erpTotal; null when the document is in neither of the order’s currencies.',
  })
  @ApiPropertyOptional({ type: String, nullable: true, example: '0.20' })
  difference!: string | null;
}

@ObjectType({
  description:
    'Shopify orders created in a window against the ERP’s sales order documents for them, read from the ERP: ' +
    'missing, duplicated, and totals beyond the rounding tolerance.',
})
@ApiSchema({ name: 'OrderGapReportDto' })
export class OrderGapReportModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field()
  @ApiProperty({ example: '2026-12-01T00:00:00.000Z' })
  from!: string;

  @Field()
  @ApiProperty({ example: '2026-12-02T00:00:00.000Z' })
  to!: string;

  @Field({ description: 'The connector the documents were read through.' })
  @ApiProperty({ example: 'netsuite' })
  erp!: string;

  @Field({ description: 'The rounding policy’s tolerance, in the document currency.' })
  @ApiProperty({ example: '0.05' })
  tolerance!: string;

  @Field(() => Int, { description: 'Shopify orders created in the window.' })
  @ApiProperty({ example: 120 })
  orders!: number;

  @Field(() => Int, { description: 'ERP documents found for them.' })
  @ApiProperty({ example: 119 })
  documents!: number;

  @Field(() => Int, { description: 'Orders whose total differs by a non-zero amount within the tolerance.' })
  @ApiProperty({ example: 2 })
  withinTolerance!: number;

  @Field(() => [MissingOrderModel])
  @ApiProperty({ type: [MissingOrderModel] })
  missing!: MissingOrderModel[];

  @Field(() => [DuplicatedOrderModel])
  @ApiProperty({ type: [DuplicatedOrderModel] })
  duplicated!: DuplicatedOrderModel[];

  @Field(() => [OrderTotalMismatchModel])
  @ApiProperty({ type: [OrderTotalMismatchModel] })
  totalMismatches!: OrderTotalMismatchModel[];
}

@ObjectType({ description: 'The missing orders of a gap report, published again into the order pipeline.' })
@ApiSchema({ name: 'ReplayMissingOrdersDto' })
export class ReplayMissingOrdersModel {
  @Field(() => OrderGapReportModel, { description: 'The report the replay was decided on.' })
  @ApiProperty({ type: OrderGapReportModel })
  report!: OrderGapReportModel;

  @Field(() => [String], { description: 'Missing orders published, one orders/create event each.' })
  @ApiProperty({ type: [String], example: ['6004604174410'] })
  replayed!: string[];

  @Field(() => [String], { description: 'Missing orders Shopify no longer has: nothing to replay.' })
  @ApiProperty({ type: [String], example: [] })
  gone!: string[];
}

function toDocumentModel(document: ErpSalesOrderDocument): ErpOrderDocumentModel {
  return {
    erpId: document.erpId,
    documentNumber: document.documentNumber ?? null,
    orderId: document.externalId,
    matchedBy: document.matchedBy,
    orderDate: document.orderDate ?? null,
    currency: document.currency ?? null,
    total: document.total,
  };
}

export function toOrderGapReportModel(report: OrderGapReport): OrderGapReportModel {
  return {
    shop: report.shop,
    from: report.from,
    to: report.to,
    erp: report.erp,
    tolerance: report.tolerance,
    orders: report.orders,
    documents: report.documents,
    withinTolerance: report.withinTolerance,
    missing: report.missing,
    duplicated: report.duplicated.map((order) => ({ ...order, documents: order.documents.map(toDocumentModel) })),
    totalMismatches: report.totalMismatches.map((mismatch) => ({
      ...mismatch,
      documentNumber: mismatch.documentNumber ?? null,
      difference: mismatch.difference ?? null,
    })),
  };
}
