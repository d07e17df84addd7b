import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsString, MaxLength } from 'class-validator';
import { OwnedEntityValue, SyncOwnerValue } from 'src/modules/mapping/transport/mapping-enums';

@InputType('OwnershipRuleInput')
@ObjectType('OwnershipRule', { description: 'Who owns one field of one entity.' })
export class OwnershipRuleModel {
  @Field(() => OwnedEntityValue)
  @ApiProperty({ enum: OwnedEntityValue, enumName: 'OwnedEntity' })
  @IsEnum(OwnedEntityValue)
  entity!: OwnedEntityValue;

  @Field({ description: 'e.g. price, images, quantity, order, tracking.' })
  @ApiProperty({ example: 'price' })
  @IsString()
  @MaxLength(64)
  field!: string;

  @Field(() => SyncOwnerValue)
  @ApiProperty({ enum: SyncOwnerValue, enumName: 'SyncOwner' })
  @IsEnum(SyncOwnerValue)
  owner!: SyncOwnerValue;
}

@ObjectType('OwnershipPolicy', { description: 'A shop’s source-of-truth policy, every owned field listed.' })
export class OwnershipPolicyModel {
  @Field()
  @ApiProperty()
  shop!: string;

  @Field(() => [OwnershipRuleModel])
  @ApiProperty({ type: [OwnershipRuleModel] })
  rules!: OwnershipRuleModel[];

  @Field(() => String, { nullable: true, description: 'Who changed it last; null while on the defaults.' })
  @ApiProperty({ type: String, nullable: true })
  updatedBy!: string | null;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: Date, nullable: true })
  updatedAt!: Date | null;
}
