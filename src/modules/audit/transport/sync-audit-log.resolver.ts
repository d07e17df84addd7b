import { Args, Query, Resolver } from '@nestjs/graphql';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, shopsToList, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { SyncAuditLogConnection } from 'src/modules/audit/transport/models/sync-audit-log-connection.model';
import { SyncAuditLog } from 'src/modules/audit/transport/models/sync-audit-log.model';
import { SyncAuditLogsArgs } from 'src/modules/audit/transport/sync-audit-logs.args';

/** The audit trail for operators: every step of every event, filterable, newest first. */
@Resolver(() => SyncAuditLog)
export class SyncAuditLogResolver {
  constructor(private readonly auditLog: AuditLogRepository) {}

  @Query(() => SyncAuditLogConnection, {
    description: "Audit rows, newest first, cursor-paginated; only the key's shops for a key limited to some.",
  })
  @RequireRole(AdminRole.Viewer)
  async syncAuditLogs(
    @Args(new GraphqlValidationPipe()) args: SyncAuditLogsArgs,
    @Caller() caller: AdminCaller,
  ): Promise<SyncAuditLogConnection> {
    const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after);
    if (after === null) {
      throw new GraphqlClientError('after is not a cursor returned by this API', 'BAD_USER_INPUT');
    }
    const filter = { ...args.filter?.toFilter(), shops: shopsToList(caller, args.filter?.shop) };
    const rows = await this.auditLog.find(filter, args.first + 1, after);
    return SyncAuditLogConnection.fromPage(toPage(rows, args.first));
  }
}
