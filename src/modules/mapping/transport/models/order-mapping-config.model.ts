import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MAX_ENTRIES, MAX_VALUE_LENGTH } from 'src/modules/mapping/domain/validate-order-mapping';
import { FieldSourceKindValue } from 'src/modules/mapping/transport/mapping-enums';

/*
 * The mapping configuration as both admin APIs take and show it: each class is a GraphQL input (`…Input`) and
 * output type and a REST schema. Shape checks live here (class-validator); the rules that need the connector's
 * capabilities are the domain's (validateOrderMapping), answered with the same field paths.
 */

@InputType('PaymentGatewayMappingInput')
@ObjectType({ description: 'Payment gateway → ERP payment method and/or account.' })
export class PaymentGatewayMappingModel {
  @Field({ description: "Shopify gateway name (payment_gateway_names), or '*' for any other." })
  @ApiProperty({ example: 'shopify_payments' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  gateway!: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ example: '7' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  paymentMethod?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ example: '1100' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  account?: string;
}

@InputType('ShippingMethodMappingInput')
@ObjectType({ description: 'Shipping method → ERP ship method and shipping item.' })
export class ShippingMethodMappingModel {
  @Field({ description: "Shopify shipping line code (else title), or '*' for any other." })
  @ApiProperty({ example: 'Express' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  shopifyCode!: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ example: '52' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  shipMethod?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ example: '6610' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  shippingItem?: string;
}

@InputType('TaxMappingInput')
@ObjectType({ description: 'Shopify tax line title → ERP tax code.' })
export class TaxMappingModel {
  @Field({ description: "Shopify tax title, or '*' for any other." })
  @ApiProperty({ example: 'CA State Tax' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  shopifyTitle!: string;

  @Field()
  @ApiProperty({ example: 'CA-STATE' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  taxCode!: string;
}

@InputType('LocationMappingInput')
@ObjectType({ description: 'Shopify location ↔ ERP location (any ERP location key: id, code or name).' })
export class LocationMappingModel {
  @Field({ description: "Shopify location id (digits), or '*' for orders without a mapped location." })
  @ApiProperty({ example: '65432109876' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  shopifyLocationId!: string;

  @Field()
  @ApiProperty({ example: 'Main Warehouse' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  erpLocation!: string;
}

@InputType('LookupEntryInput')
@ObjectType()
export class LookupEntryModel {
  @Field()
  @ApiProperty({ example: 'pos' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  key!: string;

  @Field()
  @ApiProperty({ example: '3' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  value!: string;
}

@InputType('FieldSourceInput')
@ObjectType({ description: 'Where the value of an ERP field comes from; the fields used depend on kind.' })
export class FieldSourceModel {
  @Field(() => FieldSourceKindValue)
  @ApiProperty({ enum: FieldSourceKindValue, enumName: 'FieldSourceKind' })
  @IsEnum(FieldSourceKindValue)
  kind!: FieldSourceKindValue;

  @Field({ nullable: true, description: 'DIRECT, LOOKUP: dotted path into the Shopify order.' })
  @ApiPropertyOptional({ example: 'source_name' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  path?: string;

  @Field({ nullable: true, description: 'CONSTANT: the value.' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  value?: string;

  @Field(() => [LookupEntryModel], { nullable: true, description: 'LOOKUP: key → value.' })
  @ApiPropertyOptional({ type: [LookupEntryModel] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => LookupEntryModel)
  table?: LookupEntryModel[];

  @Field({ nullable: true, description: 'LOOKUP: the value when no key matches (absent: field not set).' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  default?: string;

  @Field({ nullable: true, description: 'TEMPLATE: text with {{path}} placeholders.' })
  @ApiPropertyOptional({ example: 'Shopify {{name}} ({{source_name}})' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  template?: string;
}

@InputType('FieldMappingInput')
@ObjectType({ description: 'An ERP order field (one the connector declares) and its source.' })
export class FieldMappingModel {
  @Field({ description: 'Target field, e.g. memo, poNumber, department, custbody_channel.' })
  @ApiProperty({ example: 'memo' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  target!: string;

  @Field(() => FieldSourceModel)
  @ApiProperty({ type: FieldSourceModel })
  @ValidateNested()
  @Type(() => FieldSourceModel)
  source!: FieldSourceModel;
}

@InputType('SkuOverrideInput')
@ObjectType({ description: 'A Shopify SKU the ERP knows under another SKU.' })
export class SkuOverrideModel {
  @Field()
  @ApiProperty({ example: 'TSHIRT-RED-M' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  shopifySku!: string;

  @Field()
  @ApiProperty({ example: 'TS-001-R-M' })
  @IsString()
  @MaxLength(MAX_VALUE_LENGTH)
  erpSku!: string;
}

const section = { nullable: true } as const;

@InputType('OrderMappingConfigInput')
@ObjectType({ description: 'A shop’s whole mapping configuration, as saved in one version.' })
export class OrderMappingConfigModel {
  @Field(() => [PaymentGatewayMappingModel], section)
  @ApiPropertyOptional({ type: [PaymentGatewayMappingModel], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => PaymentGatewayMappingModel)
  paymentGateways: PaymentGatewayMappingModel[] = [];

  @Field(() => [ShippingMethodMappingModel], section)
  @ApiPropertyOptional({ type: [ShippingMethodMappingModel], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => ShippingMethodMappingModel)
  shippingMethods: ShippingMethodMappingModel[] = [];

  @Field(() => [TaxMappingModel], section)
  @ApiPropertyOptional({ type: [TaxMappingModel], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => TaxMappingModel)
  taxes: TaxMappingModel[] = [];

  @Field(() => [LocationMappingModel], section)
  @ApiPropertyOptional({ type: [LocationMappingModel], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => LocationMappingModel)
  locations: LocationMappingModel[] = [];

  @Field(() => [FieldMappingModel], section)
  @ApiPropertyOptional({ type: [FieldMappingModel], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => FieldMappingModel)
  fields: FieldMappingModel[] = [];

  @Field(() => [SkuOverrideModel], section)
  @ApiPropertyOptional({ type: [SkuOverrideModel], default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => SkuOverrideModel)
  skuOverrides: SkuOverrideModel[] = [];
}
