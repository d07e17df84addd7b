import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { BulkActionReport } from 'src/modules/dead-letters/domain/dead-letter-selection';

@ObjectType({ description: 'Dead letters a bulk action left as they were, for one reason.' })
@ApiSchema({ name: 'BulkDeadLetterSkip' })
export class BulkDeadLetterSkip {
  @Field({
    description:
      'not_found (no such id, another shop, or not matching the filter), already_retried, already_discarded, republish_failed (the broker refused it; still DEAD).',
  })
  @ApiProperty({ enum: ['not_found', 'already_retried', 'already_discarded', 'republish_failed'] })
  reason!: string;

  @Field(() => Int)
  @ApiProperty({ example: 1 })
  count!: number;

  @Field(() => [String], { description: 'Their ids (the first 50).' })
  @ApiProperty({ type: [String], example: ['42'] })
  ids!: string[];
}

/** The answer of a bulk retry or discard, in both admin APIs. */
@ObjectType({ description: 'What one bulk retry or discard did.' })
@ApiSchema({ name: 'BulkDeadLetterResult' })
export class BulkDeadLetterResult {
  @Field(() => Int, { description: 'Dead letters this call looked at (at most its limit).' })
  @ApiProperty({ example: 3 })
  matched!: number;

  @Field(() => Int)
  @ApiProperty({ example: 2 })
  retried!: number;

  @Field(() => Int)
  @ApiProperty({ example: 0 })
  discarded!: number;

  @Field(() => [BulkDeadLetterSkip])
  @ApiProperty({ type: [BulkDeadLetterSkip] })
  skipped!: BulkDeadLetterSkip[];

  @Field({ description: 'More dead letters match than this call took: call again.' })
  @ApiProperty({ example: false })
  hasMore!: boolean;

  static of(action: 'retry' | 'discard', report: BulkActionReport): BulkDeadLetterResult {
    return {
      matched: report.matched,
      retried: action === 'retry' ? report.changed : 0,
      discarded: action === 'discard' ? report.changed : 0,
      skipped: report.skipped.map((s) => ({ reason: s.reason, count: s.count, ids: s.ids })),
      hasMore: report.hasMore,
    };
  }
}
