import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from 'src/common/graphql/page-info.model';
import { encodeCursor, type Page } from 'src/common/pagination/cursor';
import type { ApiKeyRecord } from 'src/modules/access/domain/api-key.types';
import { ApiKey } from 'src/modules/access/transport/models/api-key.model';

@ObjectType()
export class ApiKeyEdge {
  @Field()
  cursor!: string;

  @Field(() => ApiKey)
  node!: ApiKey;
}

/** A Relay-style page of admin API keys, newest first. */
@ObjectType()
export class ApiKeyConnection {
  @Field(() => [ApiKeyEdge])
  edges!: ApiKeyEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  static fromPage(page: Page<ApiKeyRecord>): ApiKeyConnection {
    return {
      edges: page.items.map((record) => ({ cursor: encodeCursor(record.id), node: ApiKey.fromRecord(record) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
