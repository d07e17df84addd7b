import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { SyncAuditLogConnection } from 'src/modules/audit/transport/models/sync-audit-log-connection.model';
import { SyncAuditLog } from 'src/modules/audit/transport/models/sync-audit-log.model';
import { SyncAuditLogsArgs } from 'src/modules/audit/transport/sync-audit-logs.args';

/** The audit trail for operators: every step of every event, filterable, newest first. */
@Resolver(() => SyncAuditLog)
@UseGuards(AdminApiKeyGuard)
export class SyncAuditLogResolver {
  constructor(private readonly auditLog: AuditLogRepository) {}

  @Query(() => SyncAuditLogConnection, { description: 'Audit rows, newest first, cursor-paginated.' })
  async syncAuditLogs(@Args(new GraphqlValidationPipe()) args: SyncAuditLogsArgs): Promise<SyncAuditLogConnection> {
    const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after);
    if (after === null) {
      throw new GraphqlClientError('after is not a cursor returned by this API', 'BAD_USER_INPUT');
    }
    const rows = await this.auditLog.find(args.filter?.toFilter() ?? {}, args.first + 1, after);
    return SyncAuditLogConnection.fromPage(toPage(rows, args.first));
  }
}
