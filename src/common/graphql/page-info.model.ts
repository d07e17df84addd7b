import { Field, ObjectType } from '@nestjs/graphql';

/** Relay-style page information shared by every connection of the admin API. */
@ObjectType({ description: 'Where this page ends and whether another one follows.' })
export class PageInfo {
  @Field({ description: 'True when more rows follow; pass endCursor as `after` to get them.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page; null on an empty page.' })
  endCursor!: string | null;
}
