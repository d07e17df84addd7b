export { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
export { PruneAuditLog } from 'src/modules/audit/application/prune-audit-log.use-case';
export { ReadAuditTrail } from 'src/modules/audit/application/read-audit-trail.query';
export { ReadOrderLatency, type OrderLatency } from 'src/modules/audit/application/read-order-latency.query';
export { AuditAdminModule } from 'src/modules/audit/audit-admin.module';
export { AuditModule } from 'src/modules/audit/audit.module';
export { AuditStatus, type AuditEntity, type AuditEntry } from 'src/modules/audit/domain/audit.types';
export {
  AuditLogRepository,
  type AuditLogFilter,
  type AuditLogRow,
} from 'src/modules/audit/persistence/audit-log.repository';
