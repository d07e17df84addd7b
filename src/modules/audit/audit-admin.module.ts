import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit/audit.module';
import { SyncAuditLogResolver } from 'src/modules/audit/transport/sync-audit-log.resolver';

/** The audit log's admin API (api role): the `syncAuditLogs` query. */
@Module({ imports: [AuditModule], providers: [SyncAuditLogResolver] })
export class AuditAdminModule {}
