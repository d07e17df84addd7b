import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

/** @description How late the orders written to the ERP recently were (the alert rule on the orders flow's lag). */
export interface OrderLatency {
  /** Orders written to the ERP in the window. */
  orders: number;
  /** The 95th percentile of their webhook-to-ERP latency, ms; null when none was written. */
  p95Ms: number | null;
}

/** The orders flow's recent end-to-end latency, read from the audit log. */
@Injectable()
export class ReadOrderLatency {
  constructor(private readonly repository: AuditLogRepository) {}

  execute(since: Date): Promise<OrderLatency> {
    return this.repository.orderLatencySince(since);
  }
}
