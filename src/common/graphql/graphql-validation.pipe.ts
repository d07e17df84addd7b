import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';

function messages(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((message) => (prefix === '' ? message : `${prefix}.${message}`)),
    ...messages(error.children ?? [], prefix === '' ? error.property : `${prefix}.${error.property}`),
  ]);
}

/**
 * Validates resolver args with class-validator and answers a client mistake as one `BAD_USER_INPUT` error naming
 * every bad argument (e.g. "first must not be greater than 200"), rather than Nest's generic "Bad Request Exception".
 */
export class GraphqlValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors: ValidationError[]) =>
        new GraphqlClientError(messages(errors).join('; '), 'BAD_USER_INPUT'),
    });
  }
}
