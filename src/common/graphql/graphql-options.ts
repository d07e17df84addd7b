import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import type { GraphQLFormattedError } from 'graphql';

/** Limits against abusive operations (scenario S16, docs/reliability.md); generous for any real admin query. */
export const GRAPHQL_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  // graphql-armor multiplies a field's cost by a literal `first:` argument: one page of 200 with every field selected
  // costs about 13,300 (2 + 1.5 × children per level). 20,000 admits every single legitimate page; page size itself
  // is capped at 200 by argument validation, which also covers `first` passed as a variable (not multiplied).
  maxCost: 20_000,
  maxTokens: 2_000,
  maxDirectives: 20,
} as const;

/** Codes whose message is written for the client and is safe to show; anything else is masked. */
const CLIENT_ERROR_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
]);

/**
 * Client errors keep their message; anything else (a bug, a database error) becomes "Internal server error" with
 * only its `extensions.code`, so that SQL, hostnames or stack traces never reach the caller. Nest's exception
 * handler has already logged the original.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  if (code !== undefined && CLIENT_ERROR_CODES.has(code)) {
    const fieldErrors = formatted.extensions?.fieldErrors;
    return {
      message: withoutInputValue(formatted.message),
      locations: formatted.locations,
      path: formatted.path,
      extensions: Array.isArray(fieldErrors) ? { code, fieldErrors } : { code },
    };
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * Options of the admin GraphQL API, for `GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, ... })`.
 * Code-first with an in-memory schema; no landing page, no batching, CSRF prevention on, introspection only outside
 * production, graphql-armor's depth, alias, cost and directive limits, and graphql-js's own token limit.
 */
export function buildGraphqlOptions({ production }: { production: boolean }): ApolloDriverConfig {
  // A fresh armor per call: ApolloArmor mutates the config object it is given.
  const armor = new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases },
    costLimit: { maxCost: GRAPHQL_LIMITS.maxCost },
    // Off: armor's Apollo token plugin re-parses in `parsingDidStart` and throws, which Apollo Server answers with
    // 500 for any over-long *or merely malformed* query (graphql-armor #571, #751). graphql-js enforces the same
    // limit natively through `parseOptions.maxTokens` below, as an ordinary 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: !production,
    playground: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
    plugins: armor.plugins,
    validationRules: armor.validationRules,
    context: ({ req }: { req: Request }) => ({ req }),
    formatError: formatGraphqlError,
  };
}

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
const VALUE_FREE_REASONS = [
  new RegExp(`Field "${NAME}" is not defined by type "${NAME}"\\.`),
  new RegExp(`Field "${NAME}" of required type "[_0-9A-Za-z!\\[\\]]+" was not provided\\.`),
  new RegExp(`Expected type "[_0-9A-Za-z!\\[\\]]+"`),
];

/**
 * graphql-js quotes a variable it cannot coerce (`Variable "$input" got invalid value { webhookSecret: … } at
 * "input.x"; …`): the value may hold a secret, so the answer keeps the variable, the path and the reason when it is
 * one of graphql-js's value-free reasons, and never the value.
 */
export function withoutInputValue(message: string): string {
  const variable = /^Variable "(\$[_A-Za-z][_0-9A-Za-z]*)" got invalid value /.exec(message)?.[1];
  if (variable === undefined) {
    return message;
  }
  const paths = [...message.matchAll(/ at "([_A-Za-z][_0-9A-Za-z.[\]]*)"; /g)];
  const path = paths.at(-1)?.[1];
  const reason = VALUE_FREE_REASONS.map((pattern) => pattern.exec(message)?.[0]).find((r) => r !== undefined);
  return `Variable "${variable}" got an invalid value${path === undefined ? '' : ` at "${path}"`}${reason === undefined ? '' : `; ${reason}`}`;
}
