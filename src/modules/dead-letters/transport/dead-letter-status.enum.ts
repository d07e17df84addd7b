import { registerEnumType } from '@nestjs/graphql';

/**
 * The dead-letter states as the admin APIs take and show them: `dead`/`retried`/`discarded` in REST, `DEAD`/`RETRIED`/`DISCARDED` in GraphQL.
 * Members are upper case, unlike our other enums, because GraphQL publishes the member names as its enum values.
 */
export enum DeadLetterStatusValue {
  DEAD = 'dead',
  RETRIED = 'retried',
  DISCARDED = 'discarded',
}

registerEnumType(DeadLetterStatusValue, {
  name: 'DeadLetterStatus',
  description:
    'DEAD: waiting for an operator. RETRIED: sent back through the pipeline. DISCARDED: an operator decided not to send it (the row stays).',
});
