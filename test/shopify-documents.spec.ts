import { Kind, OperationTypeNode, parse } from 'graphql';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  registeredShopifyDocuments,
  shopifyDocument,
  type ShopifyDocument,
} from 'src/modules/shopify/admin/shopify-admin.port';
import { validateShopifyDocument } from 'test/simulators/shopify/shopify-schema';
import { IDEMPOTENT_REQUIRED } from 'test/simulators/shopify/sim-context';

/**
 * DESIGN.md: every GraphQL document the project sends to Shopify validates against Shopify's own 2026-10 schema.
 * Documents are declared with `shopifyDocument` in `*.shopify-graphql.ts` files; this test imports all of them.
 */
const root = join(__dirname, '..');

function documentFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? documentFiles(path) : name.endsWith('.shopify-graphql.ts') ? [path] : [];
  });
}

/** Each problem of one document: schema validation errors, and a missing `@idempotent` where 2026-04+ needs one. */
function problemsOf(doc: ShopifyDocument): string[] {
  const errors = validateShopifyDocument(doc.source).map((e) => e.message);
  if (errors.length > 0) {
    return errors;
  }
  const problems: string[] = [];
  for (const def of parse(doc.source).definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION || def.operation !== OperationTypeNode.MUTATION) {
      continue;
    }
    for (const sel of def.selectionSet.selections) {
      if (
        sel.kind === Kind.FIELD &&
        IDEMPOTENT_REQUIRED.has(sel.name.value) &&
        !sel.directives?.some((d) => d.name.value === 'idempotent')
      ) {
        problems.push(`${sel.name.value} needs @idempotent(key:) since 2026-04`);
      }
    }
  }
  return problems;
}

function invalidDocuments(docs: ShopifyDocument[]): Record<string, string[]> {
  return Object.fromEntries(docs.map((d) => [d.name, problemsOf(d)]).filter(([, p]) => p.length > 0));
}

const files = documentFiles(join(root, 'src'));
// The registry is filled as a side effect of importing each file (before the deliberately wrong documents below).
for (const file of files) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
}
const projectDocuments = registeredShopifyDocuments();

describe('Shopify GraphQL documents', () => {
  it('finds the document files and each declares a document', () => {
    expect(files.length).toBeGreaterThan(0);
    const without = files
      .filter((f) => !/shopifyDocument[<(]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(without).toEqual([]);
  });

  it('every document validates against the 2026-10 schema (and inventory mutations are @idempotent)', () => {
    expect(projectDocuments.length).toBeGreaterThan(0);
    expect(invalidDocuments(projectDocuments)).toEqual({});
  });

  it('reports a document with an unknown field, a removed input field or a missing @idempotent', () => {
    const wrong = [
      shopifyDocument('WrongField', 'query WrongField { shop { nameThatDoesNotExist } }'),
      shopifyDocument(
        'ValidControl',
        `mutation ValidControl($i: InventorySetQuantitiesInput!) {
          inventorySetQuantities(input: $i) @idempotent(key: "k") { userErrors { code } }
        }`,
      ),
      shopifyDocument(
        'NoIdempotentKey',
        `mutation NoIdempotentKey($i: InventorySetQuantitiesInput!) {
          inventorySetQuantities(input: $i) { userErrors { code } }
        }`,
      ),
      shopifyDocument('SyntaxError', 'query { products(first: 1) { nodes { id }'),
    ];
    const bad = invalidDocuments(wrong);
    expect(Object.keys(bad).sort()).toEqual(['NoIdempotentKey', 'SyntaxError', 'WrongField']);
    expect(bad.WrongField.join()).toMatch(/nameThatDoesNotExist/);
    // compareQuantity is gone in 2026-10: a document that uses it in an inline input fails validation.
    expect(
      validateShopifyDocument(`mutation { inventorySetQuantities(input: { name: "available", reason: "correction",
        quantities: [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1",
        quantity: 1, compareQuantity: 0 }] }) @idempotent(key: "k") { userErrors { code } } }`).length,
    ).toBeGreaterThan(0);
  });
});
