import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { AdminRoleValue } from 'src/modules/access/transport/admin-role-value.enum';

/** A myshopify domain as Shopify sends it in X-Shopify-Shop-Domain (any case; stored lower-cased). */
export const SHOP_DOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/i;

/** A new admin API key: GraphQL input `CreateApiKeyInput` and the body of `POST /admin/api-keys`. */
@InputType({ description: 'A new admin API key.' })
@ApiSchema({ name: 'CreateApiKeyDto' })
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "support desk (read only)".' })
  @ApiProperty({ example: 'support desk (read only)', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @Field(() => AdminRoleValue)
  @ApiProperty({ enum: AdminRoleValue, enumName: 'AdminRole' })
  @IsEnum(AdminRoleValue)
  role!: AdminRoleValue;

  @Field(() => [String], {
    nullable: true,
    description: 'Limit the key to these shops (myshopify domains); omit or null for every shop.',
  })
  @ApiPropertyOptional({ type: [String], nullable: true, example: ['example.myshopify.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(SHOP_DOMAIN_PATTERN, { each: true, message: 'each value in shops must be a myshopify domain' })
  shops?: string[] | null;
}
