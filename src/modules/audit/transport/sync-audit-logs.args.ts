import { ArgsType, Field } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { PageArgs } from 'src/common/graphql/page-args';
import { SyncAuditLogFilter } from 'src/modules/audit/transport/inputs/sync-audit-log-filter.input';

@ArgsType()
export class SyncAuditLogsArgs extends PageArgs {
  @Field(() => SyncAuditLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SyncAuditLogFilter)
  filter?: SyncAuditLogFilter;
}
