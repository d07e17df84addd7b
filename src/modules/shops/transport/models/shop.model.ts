import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { SecretSource, ShopErpScope, ShopView } from 'src/modules/shops/domain/shop.types';

/** Where a secret comes from; its value is never shown. */
export enum SecretState {
  STORED = 'stored',
  ENVIRONMENT = 'environment',
  UNSET = 'unset',
}
registerEnumType(SecretState, {
  name: 'SecretState',
  description:
    'STORED: set through the API (encrypted at rest); ENVIRONMENT: from SHOPIFY_* (the bootstrap shop); UNSET.',
});

@ObjectType({ description: "Where the shop's ERP writes go; unset fields are not sent." })
@ApiSchema({ name: 'ShopErpScope' })
export class ShopErpScopeModel implements ShopErpScope {
  @Field(() => String, { nullable: true, description: 'NetSuite subsidiary internal id (sales orders, customers).' })
  @ApiPropertyOptional({ example: '2' })
  netsuiteSubsidiaryId?: string;

  @Field(() => String, { nullable: true, description: 'NetSuite location internal id (sales orders).' })
  @ApiPropertyOptional({ example: '5' })
  netsuiteLocationId?: string;

  @Field(() => String, { nullable: true, description: 'Business Central company id (GUID) every request goes to.' })
  @ApiPropertyOptional({ example: 'f1b5c1a2-0000-4000-8000-000000000001' })
  businessCentralCompanyId?: string;

  @Field(() => String, { nullable: true, description: 'Cin7 Core location name sales are fulfilled from.' })
  @ApiPropertyOptional({ example: 'Main Warehouse' })
  cin7Location?: string;
}

@ObjectType({ description: 'Whether each secret of the shop is set, and where from. Never a value.' })
@ApiSchema({ name: 'ShopSecrets' })
export class ShopSecretsModel {
  @Field(() => SecretState, { description: "The app's client secret that signs the shop's webhooks." })
  @ApiProperty({ enum: SecretState, enumName: 'SecretState' })
  webhookSecret!: SecretState;

  @Field(() => SecretState, { description: 'The previous one, accepted during a rotation window.' })
  @ApiProperty({ enum: SecretState, enumName: 'SecretState' })
  webhookSecretPrevious!: SecretState;

  @Field(() => SecretState, { description: 'Admin API access token (shpat_…).' })
  @ApiProperty({ enum: SecretState, enumName: 'SecretState' })
  adminAccessToken!: SecretState;
}

/** A shop as both admin APIs publish it: GraphQL `Shop`, REST schema `Shop`. Built by `toShopModel` only. */
@ObjectType({ description: 'A Shopify store of this deployment.' })
@ApiSchema({ name: 'Shop' })
export class ShopModel {
  @Field({ description: 'The myshopify domain, lower case: the shop argument of every operation.' })
  @ApiProperty({ example: 'my-store.myshopify.com' })
  shop!: string;

  @Field({ description: 'A disabled shop has its webhooks refused (401) and nothing synced.' })
  @ApiProperty()
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency of the store.' })
  @ApiPropertyOptional({ example: 'EUR', nullable: true })
  currency!: string | null;

  @Field(() => ShopErpScopeModel, {
    description: 'Stored ERP scope (the bootstrap shop falls back to the environment for unset fields).',
  })
  @ApiProperty({ type: ShopErpScopeModel })
  erpScope!: ShopErpScopeModel;

  @Field(() => String, { nullable: true, description: 'Stored override of the Admin GraphQL endpoint.' })
  @ApiPropertyOptional({ nullable: true })
  adminApiUrl!: string | null;

  @Field(() => ShopSecretsModel)
  @ApiProperty({ type: ShopSecretsModel })
  secrets!: ShopSecretsModel;

  @Field({ description: 'When orders are first written to the ERP (in effect): created, paid or fulfilled.' })
  @ApiProperty({ enum: ['created', 'paid', 'fulfilled'], example: 'created' })
  orderTrigger!: string;

  @Field({ description: 'Whether orders Shopify rates high risk are held before their first ERP write (in effect).' })
  @ApiProperty()
  holdHighRiskOrders!: boolean;

  @Field({ description: 'The shop SHOPIFY_SHOP_DOMAIN names (created from the environment at start).' })
  @ApiProperty()
  bootstrap!: boolean;

  @Field()
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @Field()
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: Date;
}

const STATE: Record<SecretSource, SecretState> = {
  stored: SecretState.STORED,
  environment: SecretState.ENVIRONMENT,
  unset: SecretState.UNSET,
};

/** The published shape of a view: copies each field by name, so nothing else can slip through. */
export function toShopModel(view: ShopView): ShopModel {
  return {
    shop: view.domain,
    enabled: view.enabled,
    currency: view.currency ?? null,
    erpScope: {
      netsuiteSubsidiaryId: view.erpScope.netsuiteSubsidiaryId,
      netsuiteLocationId: view.erpScope.netsuiteLocationId,
      businessCentralCompanyId: view.erpScope.businessCentralCompanyId,
      cin7Location: view.erpScope.cin7Location,
    },
    adminApiUrl: view.adminApiUrl ?? null,
    secrets: {
      webhookSecret: STATE[view.secrets.webhookSecret],
      webhookSecretPrevious: STATE[view.secrets.webhookSecretPrevious],
      adminAccessToken: STATE[view.secrets.adminAccessToken],
    },
    orderTrigger: view.orderTrigger,
    holdHighRiskOrders: view.holdHighRiskOrders,
    bootstrap: view.bootstrap,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

@ObjectType({ description: 'What a key rotation did.' })
@ApiSchema({ name: 'SecretsKeyRotation' })
export class SecretsKeyRotationModel {
  @Field({ description: 'Id of SECRETS_ENCRYPTION_KEY (a fingerprint, not the key).' })
  @ApiProperty({ example: '3f2a9c0d1e4b5a67' })
  keyId!: string;

  @Field(() => Int, { description: 'Secrets re-encrypted with it now.' })
  @ApiProperty()
  reEncrypted!: number;

  @Field(() => Int, { description: 'Secrets already encrypted with it.' })
  @ApiProperty()
  alreadyCurrent!: number;
}
