import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { MAX_BULK_BATCH } from 'src/modules/dead-letters/domain/dead-letter-selection';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

/**
 * Which dead letters a bulk retry or discard acts on, in both admin APIs (GraphQL input `DeadLetterFilterInput`,
 * REST body `filter`). Every criterion given must hold; at least one besides `shop` and `status` is required.
 */
@InputType({ description: 'Which dead letters a bulk action takes; every criterion given must hold.' })
export class DeadLetterFilterInput {
  @Field(() => [ID], { nullable: true, description: `These dead letters (at most ${MAX_BULK_BATCH}).` })
  @ApiPropertyOptional({ type: [String], example: ['41', '42'], maxItems: MAX_BULK_BATCH })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BULK_BATCH)
  @Matches(/^\d{1,18}$/, { each: true, message: 'each id must be a dead letter id (digits)' })
  ids?: string[] | null;

  @Field(() => String, { nullable: true, description: '`order` or `webhook`.' })
  @ApiPropertyOptional({ example: 'order' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entity?: string | null;

  @Field(() => String, { nullable: true, description: 'The Shopify topic (the flow): orders/create, refunds/create…' })
  @ApiPropertyOptional({ example: 'orders/create' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  topic?: string | null;

  @Field(() => String, { nullable: true, description: "Only this shop's; a key limited to some shops acts on theirs." })
  @ApiPropertyOptional({ example: 'example.myshopify.com' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  shop?: string | null;

  @Field(() => String, { nullable: true, description: 'Text the reason or the last error contains (any case).' })
  @ApiPropertyOptional({ example: 'unknown SKU' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reasonContains?: string | null;

  @Field(() => String, { nullable: true, description: 'The error class: ORDER_MISSING_SKU, UNEXPECTED…' })
  @ApiPropertyOptional({ example: 'ORDER_MISSING_SKU' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  errorClass?: string | null;

  @Field(() => Date, { nullable: true, description: 'Dead-lettered at or after.' })
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Dead-lettered before.' })
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-12-08T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdTo?: Date | null;

  @Field(() => DeadLetterStatusValue, {
    nullable: true,
    description: 'Default DEAD for a filter; any status for named ids (those not DEAD are skipped, with why).',
  })
  @ApiPropertyOptional({ enum: DeadLetterStatusValue, enumName: 'DeadLetterStatus' })
  @IsOptional()
  @IsEnum(DeadLetterStatusValue)
  status?: DeadLetterStatusValue | null;
}
