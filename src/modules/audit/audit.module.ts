import { Module } from '@nestjs/common';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

@Module({ providers: [AuditLogRepository, AuditWriter], exports: [AuditWriter, AuditLogRepository] })
export class AuditModule {}
