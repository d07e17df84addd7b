import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { PayoutRecord } from 'src/modules/payouts/persistence/shopify-payout.repository';

@ObjectType({ description: 'A line of the ERP deposit written for a payout.' })
@ApiSchema({ name: 'PayoutDepositLineDto' })
export class PayoutDepositLineModel {
  @Field({ description: '`sales` (charges less refunds), `fees`, `adjustments` or `disputes`.' })
  @ApiProperty({ enum: ['sales', 'fees', 'adjustments', 'disputes'] })
  kind!: string;

  @Field({ description: 'The ERP account (PAYOUTS_ERP_*).' })
  @ApiProperty({ example: '1210' })
  account!: string;

  @Field({ description: 'Signed exact decimal: negative takes from the deposit.' })
  @ApiProperty({ example: '-3.20' })
  amount!: string;
}

@ObjectType({ description: 'A payout transaction that does not match what the middleware synced to the ERP.' })
@ApiSchema({ name: 'PayoutVarianceDto' })
export class PayoutVarianceModel {
  @Field({ description: 'The balance transaction (GID).' })
  @ApiProperty({ example: 'gid://shopify/ShopifyPaymentsBalanceTransaction/80000001' })
  transactionId!: string;

  @Field({ description: 'ShopifyPaymentsTransactionType, e.g. CHARGE or REFUND.' })
  @ApiProperty({ example: 'CHARGE' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The Shopify order id, when the transaction has one.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '6004604174410' })
  orderId!: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: '#1019' })
  orderName!: string | null;

  @Field({ description: '`order-not-synced`, `amount-differs` or `no-order`.' })
  @ApiProperty({ enum: ['order-not-synced', 'amount-differs', 'no-order'] })
  reason!: string;

  @Field({ description: 'What the payout moved for it (the order’s charges in this payout, or the refund), gross.' })
  @ApiProperty({ example: '94.01' })
  payoutAmount!: string;

  @Field(() => String, { nullable: true, description: 'The order total the middleware wrote to the ERP.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '94.00' })
  syncedAmount!: string | null;
}

@ObjectType({ description: 'A Shopify Payments payout, its ERP deposit and its variance report.' })
@ApiSchema({ name: 'PayoutDto' })
export class PayoutModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field({ description: 'The payout’s numeric id (legacyResourceId).' })
  @ApiProperty({ example: '90000001' })
  payoutId!: string;

  @Field()
  @ApiProperty({ example: '2026-10-07T03:00:00.000Z' })
  issuedAt!: Date;

  @Field()
  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @Field({ description: 'What reached the bank, exact decimal.' })
  @ApiProperty({ example: '91.10' })
  net!: string;

  @Field({ description: '`deposited`, `retry`, `held` (does not balance; read again hourly) or `failed`.' })
  @ApiProperty({ enum: ['deposited', 'retry', 'held', 'failed'] })
  state!: string;

  @Field({ description: 'The ERP connector the deposit went to.' })
  @ApiProperty({ example: 'netsuite' })
  connector!: string;

  @Field(() => String, { nullable: true, description: 'The ERP’s id of the deposit (or journal document number).' })
  @ApiPropertyOptional({ type: String, nullable: true, example: '5123' })
  erpId!: string | null;

  @Field(() => [PayoutDepositLineModel])
  @ApiProperty({ type: [PayoutDepositLineModel] })
  lines!: PayoutDepositLineModel[];

  @Field(() => [PayoutVarianceModel])
  @ApiProperty({ type: [PayoutVarianceModel] })
  variances!: PayoutVarianceModel[];

  @Field(() => Int)
  @ApiProperty({ example: 1 })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt did not deposit.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  depositedAt!: Date | null;
}

export function toPayoutModel(record: PayoutRecord): PayoutModel {
  return {
    shop: record.shop,
    payoutId: record.payoutId,
    issuedAt: record.issuedAt,
    currency: record.currency,
    net: record.net,
    state: record.state,
    connector: record.connector,
    erpId: record.erpId,
    lines: record.lines.map((line) => ({ kind: line.kind, account: line.account, amount: line.amount })),
    variances: record.variances.map((v) => ({ ...v })),
    attempts: record.attempts,
    lastError: record.lastError,
    depositedAt: record.depositedAt,
  };
}
