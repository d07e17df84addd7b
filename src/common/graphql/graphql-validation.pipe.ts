import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GraphQLError } from 'graphql';

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
        new GraphQLError(messages(errors).join('; '), { extensions: { code: 'BAD_USER_INPUT' } }),
    });
  }
}
