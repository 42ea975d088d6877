import { Field, ObjectType } from '@nestjs/graphql';

/** Relay's PageInfo for forward paging (`first` / `after`). */
@ObjectType('PageInfo', { description: 'Where a page sits in its connection (Relay cursor connections, forward paging).' })
export class PageInfoObject {
  @Field({ description: 'True when more items follow this page: ask again with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({ description: 'True when the page was asked for with `after` (items precede it).' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge; null on an empty page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge, to pass as `after`; null on an empty page.' })
  endCursor: string | null;
}
