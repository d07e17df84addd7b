import { registerEnumType } from '@nestjs/graphql';

/**
 * The dead-letter states as the admin APIs take and show them: `dead`/`retried` in REST, `DEAD`/`RETRIED` in GraphQL.
 * Members are upper case, unlike our other enums, because GraphQL publishes the member names as its enum values.
 */
export enum DeadLetterStatusValue {
  DEAD = 'dead',
  RETRIED = 'retried',
}

registerEnumType(DeadLetterStatusValue, {
  name: 'DeadLetterStatus',
  description: 'DEAD: waiting for an operator. RETRIED: sent back through the pipeline.',
});
