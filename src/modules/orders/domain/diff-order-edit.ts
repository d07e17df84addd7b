import type { ErpSalesOrderDraft, ErpSalesOrderLine, Money } from 'src/modules/erp';
import { normaliseMoney, sumMoney } from 'src/modules/orders/domain/money';

/**
 * @description One line an edit changed, matched by Shopify's line item id. `from` / `to` are quantities: `from` null
 * for a line the edit added, `to` 0 for a line it removed (Shopify keeps a removed line with `current_quantity` 0).
 */
export interface OrderLineEdit {
  externalLineId: string;
  sku: string;
  description: string;
  from: number | null;
  to: number;
  /** The line's total before and after (quantity × unit price − discount), exact decimal strings. */
  fromTotal: Money | null;
  toTotal: Money;
}

/** @description The shipping an edit changed: the sum of the shipping lines' amounts before and after. */
export interface OrderShippingEdit {
  from: Money;
  to: Money;
}

/**
 * @description What an edit of an order changed against the version the ERP holds: its lines (quantity, price or
 * discount changed, added, removed) and its shipping. Header-only changes (address, note, tags) are not edits.
 */
export interface OrderEditDiff {
  lines: OrderLineEdit[];
  shipping: OrderShippingEdit | null;
}

/**
 * @description Compares the sales order drafts of the version applied and of the incoming one. Lines are matched by
 * Shopify's line item id; a line whose quantity, unit price or discount changed is listed, as are added lines and
 * removed ones (quantity 0 or gone from the payload). Shipping is compared as the total of its lines.
 * @example
 * diffOrderEdit(applied, incoming) // { lines: [{ sku: 'SKU-1', from: 2, to: 3, … }], shipping: null }
 */
export function diffOrderEdit(
  previous: Pick<ErpSalesOrderDraft, 'lines' | 'shippingLines'>,
  next: Pick<ErpSalesOrderDraft, 'lines' | 'shippingLines'>,
): OrderEditDiff {
  const before = new Map(previous.lines.map((line) => [line.externalLineId, line]));
  const seen = new Set<string>();
  const lines: OrderLineEdit[] = [];
  for (const line of next.lines) {
    seen.add(line.externalLineId);
    const old = before.get(line.externalLineId);
    if (old === undefined) {
      if (line.quantity > 0) {
        lines.push(edit(line, null, line));
      }
      continue;
    }
    if (
      old.quantity !== line.quantity ||
      normaliseMoney(old.unitPrice) !== normaliseMoney(line.unitPrice) ||
      normaliseMoney(old.discountAmount) !== normaliseMoney(line.discountAmount) ||
      old.sku !== line.sku
    ) {
      lines.push(edit(line, old, line));
    }
  }
  for (const old of previous.lines) {
    if (!seen.has(old.externalLineId) && old.quantity > 0) {
      lines.push(edit(old, old, undefined));
    }
  }
  const from = shippingTotal(previous);
  const to = shippingTotal(next);
  return { lines, shipping: from === to ? null : { from, to } };
}

/** True when the edit changes neither lines nor shipping: the ERP document's lines stay as they are. */
export function isEmptyOrderEdit(diff: OrderEditDiff): boolean {
  return diff.lines.length === 0 && diff.shipping === null;
}

function edit(
  line: ErpSalesOrderLine,
  old: ErpSalesOrderLine | null,
  current: ErpSalesOrderLine | undefined,
): OrderLineEdit {
  return {
    externalLineId: line.externalLineId,
    sku: line.sku,
    description: line.description,
    from: old === null ? null : old.quantity,
    to: current === undefined ? 0 : current.quantity,
    fromTotal: old === null ? null : normaliseMoney(old.lineTotal),
    toTotal: current === undefined ? '0.00' : normaliseMoney(current.lineTotal),
  };
}

function shippingTotal(draft: Pick<ErpSalesOrderDraft, 'shippingLines'>): Money {
  return sumMoney(draft.shippingLines.map((line) => line.amount));
}
