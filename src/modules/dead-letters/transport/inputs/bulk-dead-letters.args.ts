import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DEFAULT_BULK_BATCH, MAX_BULK_BATCH } from 'src/modules/dead-letters/domain/dead-letter-selection';
import { DeadLetterFilterInput } from 'src/modules/dead-letters/transport/inputs/dead-letter-filter.input';

/** `bulkRetryDeadLetters` arguments, and the body of `POST /admin/dead-letters/bulk-retry`. */
@ArgsType()
export class BulkRetryDeadLettersArgs {
  @Field(() => DeadLetterFilterInput)
  @ApiProperty({ type: DeadLetterFilterInput })
  @ValidateNested()
  @Type(() => DeadLetterFilterInput)
  filter!: DeadLetterFilterInput;

  @Field(() => Int, {
    defaultValue: DEFAULT_BULK_BATCH,
    description: `Dead letters acted on by this call, 1 to ${MAX_BULK_BATCH}; hasMore says to call again.`,
  })
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_BULK_BATCH, default: DEFAULT_BULK_BATCH })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BULK_BATCH)
  limit: number = DEFAULT_BULK_BATCH;
}

/** `bulkDiscardDeadLetters` arguments, and the body of `POST /admin/dead-letters/bulk-discard`. */
@ArgsType()
export class BulkDiscardDeadLettersArgs extends BulkRetryDeadLettersArgs {
  @Field(() => String, { nullable: true, description: 'Why they are discarded; kept in each trail and the audit log.' })
  @ApiPropertyOptional({ maxLength: 500, example: 'test orders from the staging shop' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

/** The body of `POST /admin/dead-letters/{id}/edit-and-retry`. */
export class EditDeadLetterBody {
  @ApiProperty({
    description:
      'The whole edited message body as JSON text (a string, so that ids above 2^53 stay exact). It is decoded as ' +
      'the consumer decodes it; a payload that would fail is refused and nothing changes.',
    example: '{"id":5612345678901,"name":"#1001","line_items":[{"sku":"ABC-1","quantity":1,"price":"10.00"}]}',
    maxLength: 2 * 1024 * 1024,
  })
  @IsString()
  @MaxLength(2 * 1024 * 1024)
  payload!: string;
}
