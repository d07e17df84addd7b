import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  MAX_REPLAY_ORDER_IDS,
  MAX_REPLAY_RATE_PER_SECOND,
  ORDER_ID_PATTERN,
} from 'src/modules/orders/domain/order-replay';

const ORDER_ID_RULE = 'must be a Shopify order id (digits, or gid://shopify/Order/<digits>)';

@ArgsType()
export class ShopArgs {
  @Field({ description: 'The shop’s myshopify domain.' })
  @IsString()
  @MaxLength(255)
  shop!: string;
}

@ArgsType()
export class ResyncOrderArgs extends ShopArgs {
  @Field({ description: 'The Shopify order id: legacy id or GID.' })
  @IsString()
  @Matches(ORDER_ID_PATTERN, { message: `orderId ${ORDER_ID_RULE}` })
  orderId!: string;

  @Field({
    defaultValue: false,
    description:
      'Write even if the ERP has this version already (e.g. after a mapping change): the same document is updated.',
  })
  @IsBoolean()
  force!: boolean;
}

@ArgsType()
export class StartOrderReplayArgs extends ShopArgs {
  @Field(() => Date, { nullable: true, description: 'Replay the orders created at or after this instant…' })
  @IsOptional()
  @IsDate()
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: '…and at or before this one (at most 366 days in all).' })
  @IsOptional()
  @IsDate()
  createdTo?: Date | null;

  @Field(() => [String], {
    nullable: true,
    description: `Or these order ids (legacy ids or GIDs, up to ${MAX_REPLAY_ORDER_IDS}) instead of a date range.`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REPLAY_ORDER_IDS)
  @Matches(ORDER_ID_PATTERN, { each: true, message: `each order id ${ORDER_ID_RULE}` })
  orderIds?: string[] | null;

  @Field({ defaultValue: false, description: 'Write even the orders the ERP has at their current version.' })
  @IsBoolean()
  force!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: `Orders per second, 1 to ${MAX_REPLAY_RATE_PER_SECOND} (default 10).`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REPLAY_RATE_PER_SECOND)
  ratePerSecond?: number | null;
}

@ArgsType()
export class OrderReplayArgs extends ShopArgs {
  @Field(() => ID)
  @IsUUID()
  id!: string;
}

/** Body of `POST /admin/shops/{shop}/orders/{orderId}/resync`. */
export class ResyncOrderBody {
  @ApiPropertyOptional({ default: false, description: 'Write even if the ERP has this version already.' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** Body of `POST /admin/shops/{shop}/order-replays`: a created-at range, or order ids. */
export class StartOrderReplayBody {
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdFrom?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-11-30T23:59:59Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdTo?: Date;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_REPLAY_ORDER_IDS, example: ['5123456789'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REPLAY_ORDER_IDS)
  @Matches(ORDER_ID_PATTERN, { each: true, message: `each order id ${ORDER_ID_RULE}` })
  orderIds?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_REPLAY_RATE_PER_SECOND, default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REPLAY_RATE_PER_SECOND)
  ratePerSecond?: number;
}
