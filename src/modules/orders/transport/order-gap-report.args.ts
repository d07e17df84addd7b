import { ArgsType, Field } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsString, MaxLength } from 'class-validator';

@ArgsType()
export class OrderGapReportArgs {
  @Field({ description: 'The shop’s myshopify domain, e.g. example.myshopify.com.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field(() => Date, { description: 'Window start: Shopify orders created at or after this time.' })
  @IsDate()
  from!: Date;

  @Field(() => Date, { description: 'Window end (exclusive); at most 31 days after from.' })
  @IsDate()
  to!: Date;
}

/** Query of `GET /admin/shops/{shop}/orders/gap-report` and body of its `replay-missing`. */
export class OrderGapWindowDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-12-01T00:00:00Z',
    description: 'Window start: Shopify orders created at or after this time.',
  })
  @Type(() => Date)
  @IsDate()
  from!: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-12-02T00:00:00Z',
    description: 'Window end (exclusive); at most 31 days after from.',
  })
  @Type(() => Date)
  @IsDate()
  to!: Date;
}
