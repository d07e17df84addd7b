import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GraphqlClientError, type GraphqlFieldError } from 'src/common/graphql/graphql-client-error';

function messages(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((message) => (prefix === '' ? message : `${prefix}.${message}`)),
    ...messages(error.children ?? [], prefix === '' ? error.property : `${prefix}.${error.property}`),
  ]);
}

/** One entry per failed rule, with the field's path (`input.erpScope.cin7Location`); never the value. */
export function fieldErrorsOf(errors: readonly ValidationError[], prefix = ''): GraphqlFieldError[] {
  return errors.flatMap((error) => {
    // Array items as `[i]` (`config.taxes[0].taxCode`), like the paths of the domain's own validation errors.
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix === ''
        ? error.property
        : `${prefix}.${error.property}`;
    return [
      // class-validator's messages start with the property's name; the entry names the field apart.
      ...Object.values(error.constraints ?? {}).map((message) => ({
        field,
        message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
      })),
      ...fieldErrorsOf(error.children ?? [], field),
    ];
  });
}

/**
 * Validates resolver args with class-validator and answers a client mistake as one `BAD_USER_INPUT` error naming
 * every bad argument (e.g. "first must not be greater than 200"), rather than Nest's generic "Bad Request Exception",
 * with `extensions.fieldErrors` listing them per field.
 */
export class GraphqlValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors: ValidationError[]) =>
        new GraphqlClientError(messages(errors).join('; '), 'BAD_USER_INPUT', fieldErrorsOf(errors)),
    });
  }
}
