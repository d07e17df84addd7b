import { Module } from '@nestjs/common';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { PruneAuditLog } from 'src/modules/audit/application/prune-audit-log.use-case';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

@Module({
  providers: [AuditLogRepository, AuditWriter, PruneAuditLog],
  exports: [AuditWriter, AuditLogRepository, PruneAuditLog],
})
export class AuditModule {}
