import { shopifyDocument } from 'src/modules/shopify';

export interface InventorySetQuantitiesData {
  inventorySetQuantities: {
    inventoryAdjustmentGroup: { id: string } | null;
    userErrors: Array<{ field?: string[] | null; message: string; code?: string | null }>;
  } | null;
}

export interface InventorySetQuantitiesVariables {
  idempotencyKey: string;
  input: {
    name: 'available';
    reason: string;
    referenceDocumentUri: string;
    quantities: Array<{
      inventoryItemId: string;
      locationId: string;
      quantity: number;
      changeFromQuantity: number | null;
    }>;
  };
}

/**
 * Sets absolute `available` quantities (the ERP is the source of truth). `@idempotent` is required since 2026-04
 * and `changeFromQuantity` replaced the compare quantities in 2026-10 (api-facts A.3). The payload asks for the
 * adjustment group id only: the quantities written are known, and a smaller selection costs fewer points.
 */
export const INVENTORY_SET_QUANTITIES = shopifyDocument<InventorySetQuantitiesData, InventorySetQuantitiesVariables>(
  'InventorySetQuantities',
  `mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}`,
);

export interface InventoryLevelsAtLocationData {
  nodes: Array<{
    id?: string;
    inventoryLevel?: { quantities: Array<{ name: string; quantity: number }> } | null;
  } | null>;
}

/** Current `available` and `committed` of up to 250 inventory items at one location (the re-read after STALE). */
export const INVENTORY_LEVELS_AT_LOCATION = shopifyDocument<
  InventoryLevelsAtLocationData,
  { ids: string[]; locationId: string }
>(
  'InventoryLevelsAtLocation',
  `query InventoryLevelsAtLocation($ids: [ID!]!, $locationId: ID!) {
  nodes(ids: $ids) {
    ... on InventoryItem {
      id
      inventoryLevel(locationId: $locationId) {
        quantities(names: ["available", "committed"]) { name quantity }
      }
    }
  }
}`,
);

/**
 * Every inventory level of the shop for the full reconciliation, as a bulk operation (too large to page: 10,000
 * SKUs × locations). The JSONL has one line per InventoryItem and one per InventoryLevel with `__parentId`.
 */
export const INVENTORY_LEVELS_BULK = shopifyDocument<unknown, Record<string, never>>(
  'InventoryLevelsBulk',
  `query InventoryLevelsBulk {
  inventoryItems {
    edges {
      node {
        id
        sku
        inventoryLevels {
          edges {
            node {
              location { id }
              quantities(names: ["available", "committed"]) { name quantity }
            }
          }
        }
      }
    }
  }
}`,
);
