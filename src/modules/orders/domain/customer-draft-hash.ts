import { createHash } from 'node:crypto';
import type { ErpCustomerDraft } from 'src/modules/erp';

/** @description The hash the order writer keeps per customer: an unchanged draft is not written again. */
export function customerDraftHash(draft: ErpCustomerDraft): string {
  return createHash('sha256').update(JSON.stringify(draft)).digest('hex');
}
