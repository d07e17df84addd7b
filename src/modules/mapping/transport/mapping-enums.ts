import { registerEnumType } from '@nestjs/graphql';

/** Where a mapped field's value comes from: `DIRECT`… in GraphQL, `direct`… in REST. */
export enum FieldSourceKindValue {
  DIRECT = 'direct',
  CONSTANT = 'constant',
  LOOKUP = 'lookup',
  TEMPLATE = 'template',
}

registerEnumType(FieldSourceKindValue, {
  name: 'FieldSourceKind',
  description:
    'DIRECT: the value at a path of the Shopify order. CONSTANT: a fixed value. LOOKUP: the value at a path, looked ' +
    'up in a table. TEMPLATE: text with {{path}} placeholders.',
});

/** The side that owns a field. */
export enum SyncOwnerValue {
  ERP = 'erp',
  SHOPIFY = 'shopify',
}

registerEnumType(SyncOwnerValue, {
  name: 'SyncOwner',
  description: 'The side whose value of the field wins; the other side never overwrites it.',
});

/** The entities of the source-of-truth policy. */
export enum OwnedEntityValue {
  PRODUCT = 'product',
  INVENTORY = 'inventory',
  ORDER = 'order',
  FULFILLMENT = 'fulfillment',
}

registerEnumType(OwnedEntityValue, { name: 'OwnedEntity' });
