import { Field, InputType } from '@nestjs/graphql';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { ShopSettings } from 'src/modules/shops/domain/shop-settings';
import type { OrderTrigger } from 'src/modules/shops/domain/shop.types';

/** Types and lengths are checked here; formats by the use case (`validateShopSettings`), every field at once. */
@InputType({ description: 'ERP scope of a shop; null clears a field, a field left out is kept.' })
@ApiSchema({ name: 'ShopErpScopeInput' })
export class ShopErpScopeInput {
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: '2' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  netsuiteSubsidiaryId?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: '5' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  netsuiteLocationId?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  businessCentralCompanyId?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Main Warehouse' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cin7Location?: string | null;
}

/**
 * The settable fields of a shop, for addShop and updateShop (GraphQL) and POST/PATCH /admin/shops (REST). A field
 * left out is kept; null clears it. Secrets are write-only: answers say only whether each is set.
 */
@InputType({ description: 'Settings of a shop; a field left out is kept, null clears it. Secrets are write-only.' })
@ApiSchema({ name: 'ShopSettingsInput' })
export class ShopSettingsInput implements ShopSettings {
  @Field(() => Boolean, { nullable: true })
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => String, { nullable: true, description: 'ISO 4217, e.g. EUR.' })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'EUR' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  currency?: string | null;

  @Field(() => ShopErpScopeInput, { nullable: true })
  @ApiPropertyOptional({ type: ShopErpScopeInput })
  @IsOptional()
  @ValidateNested()
  @Type(() => ShopErpScopeInput)
  erpScope?: ShopErpScopeInput;

  @Field(() => String, { nullable: true, description: 'Overrides https://{shop}/admin/api/{version}/graphql.json.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  adminApiUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'When an order is first written to the ERP: created, paid (financial status paid or partially_paid) or ' +
      'fulfilled (fulfillment status fulfilled or partial). null follows the default (ORDER_TRIGGER for the ' +
      'bootstrap shop, else created).',
  })
  @ApiPropertyOptional({ type: String, nullable: true, enum: ['created', 'paid', 'fulfilled'], example: 'paid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  orderTrigger?: OrderTrigger | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Hold orders Shopify rates high risk (risk level HIGH or recommendation CANCEL) before their first ERP write, ' +
      'until an operator releases or cancels them. null follows the default (HOLD_HIGH_RISK_ORDERS, else false).',
  })
  @ApiPropertyOptional({ type: Boolean, nullable: true })
  @IsOptional()
  @IsBoolean()
  holdHighRiskOrders?: boolean | null;

  @Field(() => String, { nullable: true, description: "Write-only. The app's client secret (webhook HMAC key)." })
  @ApiPropertyOptional({ type: String, nullable: true, writeOnly: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  webhookSecret?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only. The previous secret, during a rotation window.' })
  @ApiPropertyOptional({ type: String, nullable: true, writeOnly: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  webhookSecretPrevious?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only. Admin API access token (shpat_…).' })
  @ApiPropertyOptional({ type: String, nullable: true, writeOnly: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  adminAccessToken?: string | null;
}
