import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A full inventory reconciliation queued by an operator (it runs at once, any hour).' })
export class InventoryReconciliationRequest {
  @Field(() => ID, { description: 'The Bull job id of the run.' })
  jobId!: string;

  @Field({ description: 'When it was queued.' })
  queuedAt!: Date;
}
