import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { SyncAuditLogFilter } from 'src/modules/audit/transport/inputs/sync-audit-log-filter.input';

export const MAX_PAGE_SIZE = 200;

@ArgsType()
export class SyncAuditLogsArgs {
  @Field(() => SyncAuditLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SyncAuditLogFilter)
  filter?: SyncAuditLogFilter;

  @Field(() => Int, { defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string | null;
}
