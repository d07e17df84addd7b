import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from 'src/common/graphql/page-args';
import { DeadLetterStatusValue } from 'src/modules/dead-letters/transport/dead-letter-status.enum';

/** Query string of `GET /admin/dead-letters`. */
export class ListDeadLettersQuery {
  @ApiPropertyOptional({
    enum: DeadLetterStatusValue,
    enumName: 'DeadLetterStatus',
    default: DeadLetterStatusValue.DEAD,
  })
  @IsOptional()
  @IsEnum(DeadLetterStatusValue)
  status: DeadLetterStatusValue = DeadLetterStatusValue.DEAD;

  @ApiPropertyOptional({
    description: "Only this shop's (myshopify domain); a key limited to some shops sees only theirs.",
    example: 'example.myshopify.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  shop?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;
}
