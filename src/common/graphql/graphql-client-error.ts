import { IntrinsicException } from '@nestjs/common';

/** `extensions.code` values the admin API answers for a client's mistake. */
export type GraphqlClientErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

/**
 * An expected, client-caused GraphQL error: its message is shown and `extensions.code` set. graphql-js copies
 * `extensions` from any thrown error, so this needs no GraphQLError base; extending IntrinsicException keeps Nest's
 * exception handler from logging an operator's typo as a server error with a stack trace.
 */
export class GraphqlClientError extends IntrinsicException {
  readonly extensions: { code: GraphqlClientErrorCode; fieldErrors?: GraphqlFieldError[] };

  /** `fieldErrors`: one entry per bad input field (`extensions.fieldErrors`), for forms that show them in place. */
  constructor(message: string, code: GraphqlClientErrorCode, fieldErrors?: GraphqlFieldError[]) {
    super(message);
    this.name = GraphqlClientError.name;
    this.extensions = fieldErrors === undefined ? { code } : { code, fieldErrors };
  }
}

/** A field-level input error: the field's path as the client sent it (`input.erpScope.cin7Location`) and the rule. */
export interface GraphqlFieldError {
  field: string;
  message: string;
}
