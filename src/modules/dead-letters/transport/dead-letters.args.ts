import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

export const MAX_PAGE_SIZE = 200;

@ArgsType()
export class DeadLettersArgs {
  @Field(() => DeadLetterStatusValue, { defaultValue: DeadLetterStatusValue.DEAD })
  @IsEnum(DeadLetterStatusValue)
  status!: DeadLetterStatusValue;

  @Field(() => Int, { defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string | null;
}
