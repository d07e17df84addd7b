import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_PAGE_SIZE } from 'src/common/graphql/page-args';
import { OrderMappingConfigModel } from 'src/modules/mapping/transport/models/order-mapping-config.model';
import { OwnershipRuleModel } from 'src/modules/mapping/transport/models/ownership-policy.model';

/** Body of `POST /admin/shops/{shop}/mapping/versions`. */
export class SaveOrderMappingBody {
  @ApiProperty({ type: OrderMappingConfigModel })
  @ValidateNested()
  @Type(() => OrderMappingConfigModel)
  config!: OrderMappingConfigModel;

  @ApiPropertyOptional({ description: 'Why this version (shown in the history).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({ default: false, description: 'Activate at once; false saves a draft to preview first.' })
  @IsOptional()
  @IsBoolean()
  activate: boolean = false;
}

/** Body of `PUT /admin/shops/{shop}/ownership-policy`. */
export class SetOwnershipPolicyBody {
  @ApiProperty({ type: [OwnershipRuleModel], description: 'The owners to change; fields not named keep theirs.' })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OwnershipRuleModel)
  rules!: OwnershipRuleModel[];
}

/** Query of `GET /admin/shops/{shop}/mapping/versions`. */
export class RollbackOrderMappingBody {
  @ApiPropertyOptional({
    minimum: 1,
    description: 'A version that has been active before; absent = the one active before the current one.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListMappingVersionsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;
}

/** A 400 answer with each problem at its field path (the same paths as GraphQL's extensions.fieldErrors). */
export class FieldErrorsResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'the mapping is invalid' })
  message!: string;

  @ApiProperty({
    example: [{ field: 'config.paymentGateways[0].paymentMethod', message: 'cin7 has no paymentMethod to set' }],
  })
  fieldErrors!: Array<{ field: string; message: string }>;
}
