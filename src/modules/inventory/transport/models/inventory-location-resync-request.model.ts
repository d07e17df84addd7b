import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

@ObjectType({ description: 'A re-sync of one stock location of a shop, queued by an operator (it runs at once).' })
export class InventoryLocationResyncRequest {
  @Field({ description: 'The shop’s myshopify domain.' })
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field({ description: 'The ERP location re-synced.' })
  @ApiProperty({ example: '1' })
  erpLocationId!: string;

  @Field({ description: 'The Shopify location it stocks.' })
  @ApiProperty({ example: 'gid://shopify/Location/1001' })
  shopifyLocationId!: string;

  @Field(() => ID, { description: 'The Bull job id of the run.' })
  @ApiProperty({ example: '42' })
  jobId!: string;

  @Field({ description: 'When it was queued.' })
  @ApiProperty()
  queuedAt!: Date;
}
