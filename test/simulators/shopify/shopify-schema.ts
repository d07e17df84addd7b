import {
  buildClientSchema,
  parse,
  validate,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Shopify's own Admin API schema, 2026-10 (introspection result copied from ../shared/shopify). */
export const SHOPIFY_SCHEMA_FILE = join(
  __dirname,
  '..',
  '..',
  'fixtures',
  'shopify',
  'admin-2026-10.introspection.json.gz',
);

let cached: GraphQLSchema | undefined;

/** The 2026-10 schema, built once per process (about half a second). */
export function shopifySchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(SHOPIFY_SCHEMA_FILE)).toString('utf8')) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(json.data);
  }
  return cached;
}

/** Parse + validate one document against the schema; the errors graphql-js reports (empty when valid). */
export function validateShopifyDocument(source: string): readonly GraphQLError[] {
  try {
    return validate(shopifySchema(), parse(source));
  } catch (error) {
    return [error as GraphQLError];
  }
}
