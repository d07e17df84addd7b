import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

@ObjectType({ description: 'One SKU queued for a re-sync from the ERP to Shopify (a product sync run writes it).' })
export class ProductResyncRequest {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field()
  @ApiProperty({ example: 'TEE-M' })
  sku!: string;

  @Field(() => ID, { description: 'The Bull job id of the product sync run.' })
  @ApiProperty()
  jobId!: string;

  @Field()
  @ApiProperty()
  queuedAt!: Date;
}
