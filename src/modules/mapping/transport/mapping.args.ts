import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageArgs } from 'src/common/graphql/page-args';
import { OrderMappingConfigModel } from 'src/modules/mapping/transport/models/order-mapping-config.model';
import { OwnershipRuleModel } from 'src/modules/mapping/transport/models/ownership-policy.model';

/** The agreed shop argument of every admin operation: the shop's myshopify domain (any case). */
@ArgsType()
export class ShopArgs {
  @Field({ description: 'The shop’s myshopify domain, e.g. example.myshopify.com.' })
  @IsString()
  @MaxLength(255)
  shop!: string;
}

@ArgsType()
export class OrderMappingArgs extends ShopArgs {
  @Field(() => Int, { nullable: true, description: 'A saved version; absent = the active one.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number | null;
}

@ArgsType()
export class OrderMappingVersionsArgs extends PageArgs {
  @Field({ description: 'The shop’s myshopify domain.' })
  @IsString()
  @MaxLength(255)
  shop!: string;
}

@ArgsType()
export class SaveOrderMappingArgs extends ShopArgs {
  @Field(() => OrderMappingConfigModel)
  @ValidateNested()
  @Type(() => OrderMappingConfigModel)
  config!: OrderMappingConfigModel;

  @Field(() => String, { nullable: true, description: 'Why this version (shown in the history).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;

  @Field({ defaultValue: false, description: 'Activate at once; false saves a draft to preview first.' })
  @IsBoolean()
  activate!: boolean;
}

@ArgsType()
export class ActivateOrderMappingArgs extends ShopArgs {
  @Field(() => Int, { description: 'The version to activate: a draft, or an older one to roll back to.' })
  @IsInt()
  @Min(1)
  version!: number;
}

@ArgsType()
export class RollbackOrderMappingArgs extends ShopArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'A version that has been active before; absent = the one active before the current one.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number | null;
}

@ArgsType()
export class SetOwnershipPolicyArgs extends ShopArgs {
  @Field(() => [OwnershipRuleModel], { description: 'The owners to change; fields not named keep theirs.' })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OwnershipRuleModel)
  rules!: OwnershipRuleModel[];
}
