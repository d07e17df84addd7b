import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

@ArgsType()
export class PayoutsArgs {
  @Field({ description: 'The shop’s myshopify domain, e.g. example.myshopify.com.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field({ defaultValue: false, description: 'Only payouts whose variance report is not empty.' })
  @IsBoolean()
  withVariancesOnly!: boolean;

  @Field(() => Int, { defaultValue: 50, description: 'Newest first, at most 200.' })
  @IsInt()
  @Min(1)
  @Max(200)
  limit!: number;
}

/** Query of `GET /admin/shops/{shop}/payouts`. */
export class PayoutsQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only payouts with variances.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  withVariancesOnly?: boolean;

  @ApiPropertyOptional({ type: Number, default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
