import type { ShopifyUserError } from 'src/modules/shopify/admin/shopify-admin.port';
import { shopifyDocument } from 'src/modules/shopify/admin/shopify-admin.port';

export type BulkOperationStatus = 'CANCELED' | 'CANCELING' | 'COMPLETED' | 'CREATED' | 'EXPIRED' | 'FAILED' | 'RUNNING';

export interface BulkOperationView {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

export const BULK_OPERATION_RUN_QUERY = shopifyDocument<
  {
    bulkOperationRunQuery: {
      bulkOperation: { id: string; status: BulkOperationStatus } | null;
      userErrors: ShopifyUserError[];
    };
  },
  { query: string }
>(
  'BulkOperationRunQuery',
  `mutation BulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`,
);

/** `currentBulkOperation` is deprecated in 2026-10 (api-facts A.2); the operation is read by id. */
export const BULK_OPERATION_BY_ID = shopifyDocument<{ bulkOperation: BulkOperationView | null }, { id: string }>(
  'BulkOperationById',
  `query BulkOperationById($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }
}`,
);
