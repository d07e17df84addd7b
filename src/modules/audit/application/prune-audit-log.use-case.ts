import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

/** Retention of the sync audit log (the audit module's table): rows written `days` ago go. */
@Injectable()
export class PruneAuditLog {
  constructor(private readonly auditLog: AuditLogRepository) {}

  /** Returns how many audit rows were deleted. */
  async execute(days: number): Promise<number> {
    return this.auditLog.pruneOlderThan(days);
  }
}
