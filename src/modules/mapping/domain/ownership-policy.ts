import type { MappingFieldError } from 'src/modules/mapping/domain/order-mapping.types';

/** @description The side that owns a field: its value flows from the owner to the other side, never back. */
export type SyncOwner = 'erp' | 'shopify';

/** @description One (entity, field) of the source-of-truth policy. */
export interface OwnershipRule {
  entity: OwnedEntity;
  field: string;
  owner: SyncOwner;
}

export type OwnedEntity = 'product' | 'inventory' | 'order' | 'fulfillment';

/** @description A shop's source-of-truth policy: the owner of every (entity, field) the writers consult. */
export interface OwnershipPolicy {
  rules: OwnershipRule[];
}

interface RuleDefinition {
  entity: OwnedEntity;
  field: string;
  owner: SyncOwner;
  /** Owners the writers can honour for this field. */
  allowed: readonly SyncOwner[];
  description: string;
}

/**
 * The catalogue of owned fields with their defaults (the source-of-truth table of docs/mapping.md) and the owners
 * each may take. A field only the ERP sync could write may be given to Shopify (the sync then leaves it alone); a
 * field no ERP write exists for stays Shopify's.
 */
export const OWNERSHIP_CATALOGUE: readonly RuleDefinition[] = [
  {
    entity: 'product',
    field: 'sku',
    owner: 'erp',
    allowed: ['erp'],
    description: 'variant SKU (the key items are matched by, so always the ERP’s)',
  },
  { entity: 'product', field: 'price', owner: 'erp', allowed: ['erp', 'shopify'], description: 'variant price' },
  { entity: 'product', field: 'cost', owner: 'erp', allowed: ['erp', 'shopify'], description: 'inventory item cost' },
  { entity: 'product', field: 'barcode', owner: 'erp', allowed: ['erp', 'shopify'], description: 'variant barcode' },
  {
    entity: 'product',
    field: 'compareAtPrice',
    owner: 'erp',
    allowed: ['erp', 'shopify'],
    description: 'compare-at price (NetSuite and Cin7 Core, from a configured price level / tier)',
  },
  {
    entity: 'product',
    field: 'weight',
    owner: 'erp',
    allowed: ['erp', 'shopify'],
    description: 'weight on the inventory item (NetSuite and Cin7 Core; Business Central has none)',
  },
  {
    entity: 'product',
    field: 'title',
    owner: 'shopify',
    allowed: ['shopify'],
    description: 'product title: the ERP name only when the product is created',
  },
  { entity: 'product', field: 'images', owner: 'shopify', allowed: ['shopify'], description: 'images' },
  { entity: 'product', field: 'seo', owner: 'shopify', allowed: ['shopify'], description: 'SEO title and description' },
  {
    entity: 'product',
    field: 'descriptionHtml',
    owner: 'shopify',
    allowed: ['shopify'],
    description: 'HTML description',
  },
  { entity: 'product', field: 'tags', owner: 'shopify', allowed: ['shopify'], description: 'tags' },
  {
    entity: 'inventory',
    field: 'quantity',
    owner: 'erp',
    allowed: ['erp', 'shopify'],
    description: 'quantities per location: erp = pushed ERP → Shopify; shopify = no inventory push',
  },
  {
    entity: 'order',
    field: 'order',
    owner: 'shopify',
    allowed: ['shopify', 'erp'],
    description: 'orders: shopify = created and updated from Shopify; erp = created from Shopify, then the ERP’s',
  },
  {
    entity: 'fulfillment',
    field: 'tracking',
    owner: 'erp',
    allowed: ['erp', 'shopify'],
    description: 'fulfillments and tracking: erp = ERP shipments fulfil Shopify orders; shopify = not written',
  },
];

/** @description The default policy (every field at its catalogue default). */
export function defaultOwnershipPolicy(): OwnershipPolicy {
  return { rules: OWNERSHIP_CATALOGUE.map(({ entity, field, owner }) => ({ entity, field, owner })) };
}

/**
 * @description A stored or requested set of rules over the defaults: every catalogue field appears once, a rule
 * given overrides its default. Pure.
 */
export function withDefaults(rules: readonly OwnershipRule[]): OwnershipPolicy {
  return {
    rules: OWNERSHIP_CATALOGUE.map(({ entity, field, owner }) => ({
      entity,
      field,
      owner: rules.find((r) => r.entity === entity && r.field === field)?.owner ?? owner,
    })),
  };
}

/** @description Problems of requested rules, at `rules[i].field` / `rules[i].owner`. */
export function validateOwnershipRules(rules: readonly OwnershipRule[]): MappingFieldError[] {
  const errors: MappingFieldError[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const definition = OWNERSHIP_CATALOGUE.find((d) => d.entity === rule.entity && d.field === rule.field);
    if (definition === undefined) {
      const fields = OWNERSHIP_CATALOGUE.filter((d) => d.entity === rule.entity).map((d) => d.field);
      errors.push({
        path: `rules[${i}].field`,
        message: `${rule.entity} has no owned field '${rule.field}' (it has: ${fields.join(', ') || 'none'})`,
      });
      return;
    }
    if (!definition.allowed.includes(rule.owner)) {
      errors.push({
        path: `rules[${i}].owner`,
        message: `${rule.entity}.${rule.field} can only be owned by ${definition.allowed.join(' or ')}`,
      });
    }
    const key = `${rule.entity}.${rule.field}`;
    if (seen.has(key)) {
      errors.push({ path: `rules[${i}].field`, message: `${key} is given twice` });
    }
    seen.add(key);
  });
  return errors;
}

/** @description The owner of one field under a policy (its default when the policy does not name it). */
export function ownerOf(policy: OwnershipPolicy, entity: OwnedEntity, field: string): SyncOwner {
  return (
    policy.rules.find((r) => r.entity === entity && r.field === field)?.owner ??
    OWNERSHIP_CATALOGUE.find((d) => d.entity === entity && d.field === field)?.owner ??
    'shopify'
  );
}
