import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from 'src/common/graphql/page-info.model';
import type { Page } from 'src/common/pagination/cursor';
import { encodeCursor } from 'src/common/pagination/cursor';
import type { AuditLogRow } from 'src/modules/audit/persistence/audit-log.repository';
import { SyncAuditLog } from 'src/modules/audit/transport/models/sync-audit-log.model';

@ObjectType()
export class SyncAuditLogEdge {
  @Field()
  cursor!: string;

  @Field(() => SyncAuditLog)
  node!: SyncAuditLog;
}

/** A Relay-style page of audit rows, newest first. */
@ObjectType()
export class SyncAuditLogConnection {
  @Field(() => [SyncAuditLogEdge])
  edges!: SyncAuditLogEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  static fromPage(page: Page<AuditLogRow>): SyncAuditLogConnection {
    return {
      edges: page.items.map((row) => ({ cursor: encodeCursor(row.id), node: SyncAuditLog.fromRow(row) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
