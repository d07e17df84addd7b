import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ORDER_ID_PATTERN } from 'src/modules/orders/domain/order-replay';
import { OrderHoldStatusValue } from 'src/modules/orders/transport/models/order-hold.model';
import { ShopArgs } from 'src/modules/orders/transport/order-replay.args';

export const MAX_HELD_ORDERS_PAGE = 200;

@ArgsType()
export class HeldOrdersArgs extends ShopArgs {
  @Field(() => OrderHoldStatusValue, { defaultValue: OrderHoldStatusValue.HELD })
  @IsEnum(OrderHoldStatusValue)
  status!: OrderHoldStatusValue;

  @Field(() => Int, { defaultValue: 50, description: `At most ${MAX_HELD_ORDERS_PAGE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_HELD_ORDERS_PAGE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string | null;
}

@ArgsType()
export class SettleOrderHoldArgs extends ShopArgs {
  @Field({ description: 'The Shopify order id: legacy id or GID.' })
  @IsString()
  @Matches(ORDER_ID_PATTERN, {
    message: 'orderId must be a Shopify order id (digits, or gid://shopify/Order/<digits>)',
  })
  orderId!: string;

  @Field(() => String, { nullable: true, description: 'Why (kept in the audit).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

/** GET /admin/shops/{shop}/held-orders */
export class HeldOrdersQuery {
  @ApiPropertyOptional({ enum: OrderHoldStatusValue, enumName: 'OrderHoldStatus', default: 'held' })
  @IsOptional()
  @IsEnum(OrderHoldStatusValue)
  status?: OrderHoldStatusValue;

  @ApiPropertyOptional({ type: Number, default: 50, maximum: MAX_HELD_ORDERS_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HELD_ORDERS_PAGE)
  first?: number;

  @ApiPropertyOptional({ type: String, description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

/** POST /admin/shops/{shop}/held-orders/{orderId}/release | cancel */
export class SettleOrderHoldBody {
  @ApiPropertyOptional({ type: String, description: 'Why (kept in the audit).', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
