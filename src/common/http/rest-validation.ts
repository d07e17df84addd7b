import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { GraphqlFieldError } from 'src/common/graphql/graphql-client-error';
import { fieldErrorsOf } from 'src/common/graphql/graphql-validation.pipe';

/** A 400 whose body lists each problem at its field path, like GraphQL's `extensions.fieldErrors`. */
export function fieldErrorsException(message: string, fieldErrors: GraphqlFieldError[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, fieldErrors });
}

/** The same, its message each problem as `field message`, joined by `; `. */
export function fieldErrorsBadRequest(fieldErrors: GraphqlFieldError[]): BadRequestException {
  return fieldErrorsException(fieldErrors.map((e) => `${e.field} ${e.message}`).join('; '), fieldErrors);
}

/** The admin REST routes' validation: the body's problems as `fieldErrors` with the paths the GraphQL API gives. */
export const restValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors: ValidationError[]) => fieldErrorsBadRequest(fieldErrorsOf(errors)),
});
