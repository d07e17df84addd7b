import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

@ObjectType('ErpOrderFieldTarget')
export class ErpOrderFieldTargetModel {
  @Field()
  @ApiProperty({ example: 'memo' })
  name!: string;

  @Field()
  @ApiProperty()
  description!: string;

  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional()
  maxLength?: number;
}

@ObjectType('MappingTargets', { description: 'What the connector’s sales orders let a mapping set.' })
export class MappingTargetsModel {
  @Field({ description: 'The ERP connector of this deployment.' })
  @ApiProperty({ example: 'netsuite' })
  connector!: string;

  @Field(() => [String], {
    description: 'Sections it writes: paymentMethod, paymentAccount, shipMethod, shippingItem, taxCode, location.',
  })
  @ApiProperty({ type: [String] })
  sections!: string[];

  @Field(() => [ErpOrderFieldTargetModel], { description: 'Targets of `fields` mappings.' })
  @ApiProperty({ type: [ErpOrderFieldTargetModel] })
  fields!: ErpOrderFieldTargetModel[];

  @Field(() => String, { nullable: true, description: 'Custom fields it also takes, by example (custbody_…).' })
  @ApiProperty({ type: String, nullable: true })
  customFieldExample!: string | null;
}
