import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPreviewDecision } from 'src/modules/erp/port/erp-order-mapping';

/**
 * @description The item ids a write would use, read from the cross-reference only (a preview sends nothing): SKUs
 * it lacks get a `<look-up: SKU>` placeholder and a decision saying the ERP would be asked (and the write refused if
 * no item has the SKU).
 */
export async function previewItemIds(
  xref: ErpItemXref,
  skus: readonly string[],
  lookUp: string,
): Promise<{ ids: Map<string, string>; decisions: ErpPreviewDecision[] }> {
  const ids = new Map<string, string>();
  const decisions: ErpPreviewDecision[] = [];
  for (const sku of new Set(skus)) {
    const id = await xref.find(sku);
    if (id !== undefined) {
      ids.set(sku, id);
      decisions.push({ kind: 'item', subject: sku, outcome: `item ${id} (cross-reference)` });
    } else {
      ids.set(sku, `<look-up: ${sku}>`);
      decisions.push({
        kind: 'item',
        subject: sku,
        outcome: `not in the cross-reference: looked up by ${lookUp} when sent; the write fails if no item has it`,
      });
    }
  }
  return { ids, decisions };
}
