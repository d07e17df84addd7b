import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from 'src/common/graphql/page-info.model';
import { encodeCursor, type Page } from 'src/common/pagination/cursor';
import { toDeadLetterView, type DeadLetterSummary } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';

@ObjectType()
export class DeadLetterEdge {
  @Field()
  cursor!: string;

  @Field(() => DeadLetter)
  node!: DeadLetter;
}

/** A Relay-style page of dead letters, newest first. */
@ObjectType()
export class DeadLetterConnection {
  @Field(() => [DeadLetterEdge])
  edges!: DeadLetterEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  static fromPage(page: Page<DeadLetterSummary>): DeadLetterConnection {
    return {
      edges: page.items.map((row) => ({ cursor: encodeCursor(row.id), node: toDeadLetterView(row) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
