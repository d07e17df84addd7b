import type { ErpOrderMappingCapabilities, ErpSalesOrderDraft } from 'src/modules/erp';
import { ANY, type FieldSource, type OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { readOrderPath, renderTemplate } from 'src/modules/mapping/domain/order-source-path';

/** @description A decision the mapping took for one order (shown by the previews, and why a value is what it is). */
export interface MappingDecision {
  kind: 'mapping';
  /** The target or the part of the order decided (`shipMethod`, `line 1 sku`, `memo`). */
  subject: string;
  outcome: string;
}

/** @description The mapping version to apply: its number and configuration. */
export interface MappingToApply {
  version: number;
  config: OrderMappingConfig;
}

/**
 * Applies a shop's mapping version to a sales order draft (already mapped from the Shopify order by the order
 * rules): SKU overrides on the lines, tax codes per line, and the section and field values the connector writes.
 * Pure and deterministic, like the order mapper. `order` is the Shopify order payload the draft was made from.
 */
export function applyOrderMapping(
  order: unknown,
  draft: ErpSalesOrderDraft,
  mapping: MappingToApply,
  capabilities: ErpOrderMappingCapabilities,
): { salesOrder: ErpSalesOrderDraft; decisions: MappingDecision[] } {
  const { config } = mapping;
  const decisions: MappingDecision[] = [];
  const decide = (subject: string, outcome: string): void => {
    decisions.push({ kind: 'mapping', subject, outcome });
  };
  const values: Record<string, string> = {};
  const set = (target: string, value: string | undefined): void => {
    if (value === undefined) {
      return;
    }
    const limit =
      capabilities.fields.find((field) => field.name === target)?.maxLength ??
      (capabilities.customFields?.pattern.test(target) === true ? capabilities.customFields.maxLength : undefined);
    if (limit !== undefined && value.length > limit) {
      decide(target, `cut to ${limit} characters (the ERP's limit)`);
      values[target] = value.slice(0, limit);
    } else {
      values[target] = value;
    }
  };

  const gateways = readList(order, 'payment_gateway_names');
  const gateway = pick(config.paymentGateways, (e) => e.gateway, gateways);
  if (gateway !== undefined) {
    set('paymentMethod', gateway.entry.paymentMethod);
    set('paymentAccount', gateway.entry.account);
    decide('payment', `gateway '${gateway.matched}' → paymentGateways[${gateway.index}]`);
  } else if (config.paymentGateways.length > 0) {
    decide('payment', `no entry for gateway ${quoteList(gateways)}: ERP default`);
  }

  const shipping = draft.shippingLines[0];
  const shippingKeys = shipping === undefined ? [] : [shipping.code, shipping.description];
  const method = shipping === undefined ? undefined : pick(config.shippingMethods, (e) => e.shopifyCode, shippingKeys);
  if (method !== undefined) {
    set('shipMethod', method.entry.shipMethod);
    set('shippingItem', method.entry.shippingItem);
    decide('shipping', `shipping '${method.matched}' → shippingMethods[${method.index}]`);
  } else if (config.shippingMethods.length > 0 && shipping !== undefined) {
    decide('shipping', `no entry for shipping ${quoteList(shippingKeys)}: ERP default`);
  }

  const locationId = readOrderPath(order, 'location_id');
  const location = pick(config.locations, (e) => e.shopifyLocationId, locationId === undefined ? [] : [locationId]);
  if (location !== undefined) {
    set('location', location.entry.erpLocation);
    decide('location', `Shopify location '${location.matched}' → locations[${location.index}]`);
  }

  for (const [index, field] of config.fields.entries()) {
    const value = evaluate(field.source, order);
    set(field.target, value);
    if (value === undefined) {
      decide(field.target, `fields[${index}]: source empty, not set`);
    }
  }

  const overrides = new Map(config.skuOverrides.map((o) => [o.shopifySku.trim(), o.erpSku.trim()]));
  const lines = draft.lines.map((line, index) => {
    const erpSku = overrides.get(line.sku);
    if (erpSku !== undefined) {
      decide(`line ${index + 1} sku`, `Shopify SKU '${line.sku}' → ERP SKU '${erpSku}' (skuOverrides)`);
    }
    const tax = pick(
      config.taxes,
      (e) => e.shopifyTitle,
      line.taxLines.map((taxLine) => taxLine.title),
    );
    if (tax !== undefined) {
      decide(`line ${index + 1} taxCode`, `tax '${tax.matched}' → taxes[${tax.index}]`);
    }
    return {
      ...line,
      ...(erpSku === undefined ? {} : { sku: erpSku }),
      ...(tax === undefined ? {} : { taxCode: tax.entry.taxCode }),
    };
  });

  return {
    salesOrder: { ...draft, lines, mapped: { version: mapping.version, values } },
    decisions,
  };
}

function evaluate(source: FieldSource, order: unknown): string | undefined {
  switch (source.kind) {
    case 'direct':
      return readOrderPath(order, source.path);
    case 'constant':
      return source.value;
    case 'lookup': {
      const key = readOrderPath(order, source.path);
      const row =
        key === undefined
          ? undefined
          : source.table.find((r) => r.key.trim().toLowerCase() === key.trim().toLowerCase());
      return row?.value ?? source.default;
    }
    case 'template': {
      const text = renderTemplate(source.template, order).trim();
      return text === '' ? undefined : text;
    }
    default:
      return undefined;
  }
}

/** The first entry whose key matches one of `keys` (in the order of `keys`, case-insensitive), else the `*` entry. */
function pick<T>(
  entries: readonly T[],
  keyOf: (entry: T) => string,
  keys: readonly string[],
): { entry: T; index: number; matched: string } | undefined {
  for (const key of keys) {
    const wanted = key.trim().toLowerCase();
    const index = entries.findIndex((entry) => keyOf(entry).trim().toLowerCase() === wanted);
    if (index >= 0) {
      return { entry: entries[index], index, matched: key };
    }
  }
  const any = entries.findIndex((entry) => keyOf(entry).trim() === ANY);
  return any >= 0 ? { entry: entries[any], index: any, matched: ANY } : undefined;
}

function readList(order: unknown, field: string): string[] {
  const value = typeof order === 'object' && order !== null ? (order as Record<string, unknown>)[field] : undefined;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function quoteList(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.map((v) => `'${v}'`).join(' / ');
}
