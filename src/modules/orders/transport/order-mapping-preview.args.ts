import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_PREVIEW_ORDERS } from 'src/modules/orders/application/preview-mapping-change.use-case';

/** Longest order payload a preview accepts (Shopify's webhook bodies are far smaller). */
export const MAX_PREVIEW_PAYLOAD_CHARS = 1_000_000;

@ArgsType()
export class PreviewOrderMappingArgs {
  @Field({ description: 'The shop’s myshopify domain.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A Shopify order id the writer has written (its payload is kept).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  orderId?: string | null;

  @Field(() => String, { nullable: true, description: 'Or an order payload (JSON text) as Shopify sends it.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PREVIEW_PAYLOAD_CHARS)
  payload?: string | null;

  @Field(() => Int, { nullable: true, description: 'A saved mapping version; absent = the active one.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  mappingVersion?: number | null;
}

@ArgsType()
export class PreviewMappingChangeArgs {
  @Field({ description: 'The shop’s myshopify domain.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field(() => Int, { description: 'The saved (draft) version to compare with the active one.' })
  @IsInt()
  @Min(1)
  draftVersion!: number;

  @Field(() => Int, {
    defaultValue: 50,
    description: `Past orders to replay, newest first (1 to ${MAX_PREVIEW_ORDERS}).`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_PREVIEW_ORDERS)
  last!: number;

  @Field(() => Date, { nullable: true, description: 'Only orders written at or after this time.' })
  @IsOptional()
  @IsDate()
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only orders written before this time.' })
  @IsOptional()
  @IsDate()
  until?: Date | null;
}

/** Body of `POST /admin/shops/{shop}/mapping/preview-order`. */
export class PreviewOrderMappingBody {
  @ApiPropertyOptional({ description: 'A Shopify order id the writer has written (its payload is kept).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  orderId?: string;

  @ApiPropertyOptional({ type: Object, description: 'Or an order payload as Shopify sends it.' })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A saved mapping version; absent = the active one.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  mappingVersion?: number;
}

/** Body of `POST /admin/shops/{shop}/mapping/preview-change`. */
export class PreviewMappingChangeBody {
  @ApiProperty({ description: 'The saved (draft) version to compare with the active one.' })
  @IsInt()
  @Min(1)
  draftVersion!: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_PREVIEW_ORDERS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PREVIEW_ORDERS)
  last: number = 50;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;
}
