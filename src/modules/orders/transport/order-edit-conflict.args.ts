import { ArgsType, Field, ID, Int, registerEnumType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ShopArgs } from 'src/modules/orders/transport/order-replay.args';

export enum OrderEditConflictState {
  OPEN = 'open',
  RESOLVED = 'resolved',
  ALL = 'all',
}
registerEnumType(OrderEditConflictState, { name: 'OrderEditConflictState' });

export const MAX_CONFLICTS_LISTED = 500;
/** Conflict ids are bigserial numbers. */
export const CONFLICT_ID_PATTERN = /^[1-9][0-9]{0,17}$/;

@ArgsType()
export class ListOrderEditConflictsArgs extends ShopArgs {
  @Field(() => OrderEditConflictState, { defaultValue: OrderEditConflictState.OPEN })
  @IsOptional()
  @IsEnum(OrderEditConflictState)
  state: OrderEditConflictState = OrderEditConflictState.OPEN;

  @Field(() => Int, { defaultValue: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_CONFLICTS_LISTED)
  limit = 100;
}

@ArgsType()
export class ResolveOrderEditConflictArgs extends ShopArgs {
  @Field(() => ID)
  @IsString()
  @Matches(CONFLICT_ID_PATTERN, { message: 'id must be an edit conflict id' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'What the operator did about the edit.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

/** `GET /admin/shops/{shop}/order-edit-conflicts` query. */
export class ListOrderEditConflictsQuery {
  @ApiPropertyOptional({ enum: OrderEditConflictState, default: OrderEditConflictState.OPEN })
  @IsOptional()
  @IsEnum(OrderEditConflictState)
  state?: OrderEditConflictState;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_CONFLICTS_LISTED, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CONFLICTS_LISTED)
  limit?: number;
}

/** `POST /admin/shops/{shop}/order-edit-conflicts/{id}/resolve` body. */
export class ResolveOrderEditConflictBody {
  @ApiPropertyOptional({ maxLength: 1000, example: 'Changed the ERP order by hand' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
