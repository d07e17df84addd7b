import { Module } from '@nestjs/common';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { PruneAuditLog } from 'src/modules/audit/application/prune-audit-log.use-case';
import { ReadAuditTrail } from 'src/modules/audit/application/read-audit-trail.query';
import { ReadOrderLatency } from 'src/modules/audit/application/read-order-latency.query';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

@Module({
  providers: [AuditLogRepository, AuditWriter, PruneAuditLog, ReadAuditTrail, ReadOrderLatency],
  exports: [AuditWriter, AuditLogRepository, PruneAuditLog, ReadAuditTrail, ReadOrderLatency],
})
export class AuditModule {}
