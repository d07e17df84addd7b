import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { OrderMappingConfigModel } from 'src/modules/mapping/transport/models/order-mapping-config.model';

@ObjectType('MappingVersion', { description: 'One immutable saved version of a shop’s mapping configuration.' })
export class MappingVersionModel {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field(() => Int)
  @ApiProperty({ example: 2 })
  version!: number;

  @Field({ description: 'Whether this version maps the shop’s orders now.' })
  @ApiProperty()
  active!: boolean;

  @Field({ description: 'Who saved it: the API key, or the bootstrap from the environment.' })
  @ApiProperty({ example: 'api-key:3f2a9c1b' })
  createdBy!: string;

  @Field()
  @ApiProperty()
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @Field(() => OrderMappingConfigModel)
  @ApiProperty({ type: OrderMappingConfigModel })
  config!: OrderMappingConfigModel;
}

@ObjectType('MappingVersionPage')
export class MappingVersionPageModel {
  @Field(() => [MappingVersionModel])
  @ApiProperty({ type: [MappingVersionModel] })
  items!: MappingVersionModel[];

  @Field(() => Int)
  @ApiProperty()
  total!: number;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next (older) page.' })
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
