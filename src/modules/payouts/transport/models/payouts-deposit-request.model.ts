import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

@ObjectType({
  description:
    "An operator's payouts run queued for one shop: its PAID payouts read and each not yet deposited written to the " +
    'ERP (held, retrying and failed ones at once). Follow it with `payouts`.',
})
export class PayoutsDepositRequest {
  @Field()
  @ApiProperty({ example: 'example.myshopify.com' })
  shop!: string;

  @Field(() => ID, { description: 'The Bull job id of the run (queue shopify-payouts, job payouts.deposit).' })
  @ApiProperty()
  jobId!: string;

  @Field()
  @ApiProperty()
  queuedAt!: Date;
}
