import { Module } from '@nestjs/common';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { PruneAuditLog } from 'src/modules/audit/application/prune-audit-log.use-case';
import { ReadAuditTrail } from 'src/modules/audit/application/read-audit-trail.query';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

@Module({
  providers: [AuditLogRepository, AuditWriter, PruneAuditLog, ReadAuditTrail],
  exports: [AuditWriter, AuditLogRepository, PruneAuditLog, ReadAuditTrail],
})
export class AuditModule {}
