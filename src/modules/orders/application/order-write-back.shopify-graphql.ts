import type { ShopifyUserError } from 'src/modules/shopify';
import { shopifyDocument } from 'src/modules/shopify';

export interface OrderDocumentNumberData {
  order: { id: string; tags: string[]; metafield: { value: string } | null } | null;
}

/** What the order carries now: its tags and the ERP document number metafield. */
export const ORDER_DOCUMENT_NUMBER = shopifyDocument<
  OrderDocumentNumberData,
  { id: string; namespace: string; key: string }
>(
  'OrderDocumentNumber',
  `query OrderDocumentNumber($id: ID!, $namespace: String!, $key: String!) {
  order(id: $id) {
    id
    tags
    metafield(namespace: $namespace, key: $key) { value }
  }
}`,
);

export interface OrderTagsAddData {
  tagsAdd: { node: { id: string } | null; userErrors: ShopifyUserError[] } | null;
}

/** Adds tags to the order (`tagsAdd`); tags it has already are kept once. */
export const ORDER_TAGS_ADD = shopifyDocument<OrderTagsAddData, { id: string; tags: string[] }>(
  'OrderTagsAdd',
  `mutation OrderTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}`,
);

export interface MetafieldsSetVariables {
  metafields: Array<{ ownerId: string; namespace: string; key: string; type: string; value: string }>;
}

export interface OrderMetafieldsSetData {
  metafieldsSet: {
    metafields: Array<{ id: string; namespace: string; key: string; value: string }> | null;
    userErrors: ShopifyUserError[];
  } | null;
}

/** Creates or replaces the order's ERP document number metafield (`metafieldsSet`, atomic per call). */
export const ORDER_METAFIELDS_SET = shopifyDocument<OrderMetafieldsSetData, MetafieldsSetVariables>(
  'OrderMetafieldsSet',
  `mutation OrderMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key value }
    userErrors { field message code }
  }
}`,
);
