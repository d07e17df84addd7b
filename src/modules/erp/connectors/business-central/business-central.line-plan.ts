import { BC_COMMENT_PREFIX } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { sameValue, type BcLineBody } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type { BcDocumentLine, BcSalesOrder } from 'src/modules/erp/connectors/business-central/business-central.types';

/*
 * An existing order's lines against the wanted ones: Business Central has no "replace the lines" write, so the
 * connector brings them in line one line at a time, and reads its own state back from its comment lines.
 */

/** BC returns the empty GUID for "no variant". */
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** @description The line writes that bring an order's lines in line with the draft. */
export interface BcLinePlan {
  deletes: BcDocumentLine[];
  patches: Array<{ line: BcDocumentLine; changes: Partial<BcLineBody> }>;
  posts: BcLineBody[];
}

/**
 * @description Pairs the order's existing lines with the wanted ones by kind (item + variant, G/L account, or the
 * connector's comment prefix), in order, and says what to write: PATCH paired lines whose values differ, DELETE
 * unpaired item/account lines and the connector's own unpaired comments, POST unpaired wanted lines. Comments a
 * person added in BC are left alone. BC lines carry no Shopify line id, so two lines of the same SKU pair in order.
 */
export function planLineChanges(existing: readonly BcDocumentLine[], wanted: readonly BcLineBody[]): BcLinePlan {
  const sorted = [...existing].sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  const used = new Set<BcDocumentLine>();
  const plan: BcLinePlan = { deletes: [], patches: [], posts: [] };
  for (const line of wanted) {
    const key = lineKey(line);
    const match = sorted.find((candidate) => !used.has(candidate) && lineKey(candidate) === key);
    if (match === undefined) {
      plan.posts.push(line);
      continue;
    }
    used.add(match);
    const changes = lineChanges(match, line);
    if (Object.keys(changes).length > 0) {
      plan.patches.push({ line: match, changes });
    }
  }
  for (const line of sorted) {
    if (!used.has(line) && isOwnedLine(line)) {
      plan.deletes.push(line);
    }
  }
  return plan;
}

/** True when the plan writes nothing. */
export function isEmptyPlan(plan: BcLinePlan): boolean {
  return plan.deletes.length === 0 && plan.patches.length === 0 && plan.posts.length === 0;
}

/** Shopify's `updated_at` the order holds, from its `Shopify updated_at <iso>` comment line. */
export function orderSourceUpdatedAt(order: Pick<BcSalesOrder, 'salesOrderLines'>): string | undefined {
  const line = (order.salesOrderLines ?? []).find(
    (l) => l.lineType === 'Comment' && (l.description ?? '').startsWith(BC_COMMENT_PREFIX.updatedAt),
  );
  return line?.description?.slice(BC_COMMENT_PREFIX.updatedAt.length).trim();
}

/** Whether the order carries the connector's cancellation comment. */
export function isCancelledOrder(order: Pick<BcSalesOrder, 'salesOrderLines'>): boolean {
  return (order.salesOrderLines ?? []).some(
    (l) => l.lineType === 'Comment' && (l.description ?? '').startsWith(BC_COMMENT_PREFIX.cancelled),
  );
}

function lineKey(
  line: Pick<BcDocumentLine, 'lineType' | 'itemId' | 'itemVariantId' | 'lineObjectNumber' | 'description'>,
) {
  switch (line.lineType) {
    case 'Item': {
      const variant = line.itemVariantId === EMPTY_GUID ? '' : (line.itemVariantId ?? '');
      return `Item:${(line.itemId ?? '').toLowerCase()}:${variant.toLowerCase()}`;
    }
    case 'Comment': {
      const prefix = commentPrefix(line.description ?? '');
      return prefix === undefined ? `Comment:other:${line.description ?? ''}` : `Comment:${prefix}`;
    }
    case 'Account':
    case 'Resource':
    case 'Fixed Asset':
    case 'Charge':
      return `${line.lineType}:${(line.lineObjectNumber ?? '').toUpperCase()}`;
  }
}

function commentPrefix(description: string): string | undefined {
  return Object.values(BC_COMMENT_PREFIX).find((prefix) => description.startsWith(prefix));
}

/** Lines the connector writes: item and account lines, and comments with its own prefixes. */
function isOwnedLine(line: BcDocumentLine): boolean {
  if (line.lineType === 'Comment') {
    return commentPrefix(line.description ?? '') !== undefined;
  }
  return line.lineType === 'Item' || line.lineType === 'Account';
}

function lineChanges(existing: BcDocumentLine, wanted: BcLineBody): Partial<BcLineBody> {
  const changes: Partial<BcLineBody> = {};
  if ((existing.description ?? '') !== wanted.description) {
    changes.description = wanted.description;
  }
  if (wanted.lineType === 'Comment') {
    return changes;
  }
  for (const field of ['unitPrice', 'quantity', 'discountAmount'] as const) {
    const value = wanted[field];
    if (value !== undefined && !sameValue(existing[field] ?? 0, value)) {
      changes[field] = value;
    }
  }
  return changes;
}
