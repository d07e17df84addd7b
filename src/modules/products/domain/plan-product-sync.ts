import { createHash } from 'node:crypto';
import type { ErpItemRow, ProductGroup, PushedFields } from 'src/modules/products/domain/product-sync.types';

/**
 * Pure planning of the Shopify writes for one ERP product group (docs/architecture.md, source of truth). Only ERP-owned fields
 * are ever sent: SKU, price, compare-at price, cost and weight (on the inventory item) and barcode; the title only when
 * the product is created.
 * Images, SEO, the HTML description, tags and status are never in an update, so Shopify's data cannot be touched:
 * - a new product is created with `productSet` (no identifier: a create), as a DRAFT for the merchant to complete;
 * - an existing product is never sent to `productSet` (its list fields are replace-all), only
 *   `productVariantsBulkUpdate` with the changed fields of the changed variants, and
 *   `productVariantsBulkCreate` for SKUs the ERP added to the group.
 */

const DEFAULT_OPTION = { optionName: 'Title', name: 'Default Title' };

/** `"12.500000"` → `"12.50"`, `"3.141500"` → `"3.1415"`; null stays null. */
export function normaliseDecimal(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const text = String(value).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) {
    return text;
  }
  const [int, frac = ''] = text.split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(2, '0');
  const whole = int.startsWith('-') ? `-${BigInt(int.slice(1))}` : BigInt(int).toString();
  return `${whole}.${trimmed}`;
}

export type ShopifyWeightUnit = 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS';
const WEIGHT_UNITS: readonly string[] = ['GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS'];

/** A row's weight as compared and pushed: `"<normalised value> <unit>"`, e.g. `"1.25 KILOGRAMS"`; null when none. */
export function weightText(value: string | null | undefined, unit: string | null | undefined): string | null {
  const normalised = normaliseDecimal(value);
  return normalised === null || unit === null || unit === undefined || !WEIGHT_UNITS.includes(unit)
    ? null
    : `${normalised} ${unit}`;
}

/** `"1.25 KILOGRAMS"` as Shopify's WeightInput (its `value` is a Float: weights are not money). */
export function weightInput(text: string): { value: number; unit: ShopifyWeightUnit } {
  const [value = '', unit = ''] = text.split(' ');
  return { value: Number(value), unit: unit as ShopifyWeightUnit };
}

/** The ERP-owned fields of one row, normalised the way they are compared with what was pushed. */
export function erpOwnedFields(row: ErpItemRow): PushedFields {
  return {
    sku: row.sku,
    price: normaliseDecimal(row.price),
    cost: normaliseDecimal(row.cost),
    barcode: row.barcode === null || row.barcode === '' ? null : row.barcode,
    compareAtPrice: normaliseDecimal(row.compareAtPrice),
    weight: weightText(row.weightValue, row.weightUnit),
  };
}

/**
 * Hash of the fields a write would carry (not the title, which is written only once). The compare-at price and the
 * weight are hashed only when set, so that the hashes of rows pushed before they were synced stay the same.
 */
export function fieldsHash(fields: PushedFields): string {
  const extra = [fields.compareAtPrice ?? null, fields.weight ?? null];
  return createHash('sha256')
    .update(
      JSON.stringify([
        fields.sku,
        fields.price,
        fields.cost,
        fields.barcode,
        ...(extra.every((v) => v === null) ? [] : extra),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

export type ErpOwnedField = 'sku' | 'price' | 'cost' | 'barcode' | 'compareAtPrice' | 'weight';
const COMPARED: readonly ErpOwnedField[] = ['sku', 'price', 'cost', 'barcode', 'compareAtPrice', 'weight'];
/** The fields the source-of-truth policy may give to Shopify (the SKU is always the ERP's). */
const POLICY_FIELDS = ['price', 'cost', 'barcode', 'compareAtPrice', 'weight'] as const;

/** Every field the product sync can write: the default source-of-truth policy gives them all to the ERP. */
export const ALL_ERP_FIELDS: ReadonlySet<ErpOwnedField> = new Set(COMPARED);

/**
 * The fields a write may carry under the shop's source-of-truth policy: a field Shopify owns keeps what was last
 * pushed (or nothing), so it is never seen as changed and never sent.
 */
function ownedOnly(fields: PushedFields, pushed: PushedFields | null, owned: ReadonlySet<ErpOwnedField>): PushedFields {
  const result = { ...fields };
  // The SKU is how items are matched: always the ERP's (the policy refuses to give it to Shopify).
  for (const field of POLICY_FIELDS) {
    if (!owned.has(field)) {
      result[field] = pushed?.[field] ?? null;
    }
  }
  return result;
}

/** The ERP-owned fields whose value differs from what was last pushed (all of them when nothing was). */
export function changedFields(current: PushedFields, pushed: PushedFields | null): ErpOwnedField[] {
  if (pushed === null) {
    return [...COMPARED];
  }
  return COMPARED.filter((f) => (current[f] ?? null) !== (pushed[f] ?? null));
}

/** Input of `productVariantsBulkUpdate` / `productVariantsBulkCreate` (ProductVariantsBulkInput). */
export interface VariantBulkInput {
  id?: string;
  optionValues?: { optionName: string; name: string }[];
  price?: string;
  /** null clears it (the ERP no longer has one). */
  compareAtPrice?: string | null;
  barcode?: string | null;
  inventoryItem?: InventoryItemInput;
}

/** The InventoryItemInput fields the sync writes. */
export interface InventoryItemInput {
  sku?: string;
  cost?: string | null;
  tracked?: boolean;
  measurement?: { weight: { value: number; unit: ShopifyWeightUnit } };
}

/** Input of `productSet` for a create (ProductSetInput). */
export interface ProductCreateInput {
  title: string;
  status: 'DRAFT';
  productOptions: { name: string; values: { name: string }[] }[];
  variants: {
    optionValues: { optionName: string; name: string }[];
    sku: string;
    price?: string;
    compareAtPrice?: string;
    barcode?: string;
    inventoryItem: InventoryItemInput;
  }[];
}

/** @description One variant row with what it will carry. */
export interface PlannedVariant {
  row: ErpItemRow;
  fields: PushedFields;
  hash: string;
  changed: ErpOwnedField[];
}

/** @description A write that was not made, and why (audited). */
export interface OwnershipNote {
  sku: string;
  reason: string;
}

export type ProductSyncPlan =
  | { kind: 'create'; groupId: string; input: ProductCreateInput; variants: PlannedVariant[]; notes: OwnershipNote[] }
  | {
      kind: 'update';
      groupId: string;
      productId: string;
      updates: VariantBulkInput[];
      creates: VariantBulkInput[];
      /** Variants written by this plan (updated or created). */
      variants: PlannedVariant[];
      /** Variants whose ERP-owned fields equal what was pushed: no write, marked synced. */
      unchanged: PlannedVariant[];
      notes: OwnershipNote[];
    }
  | { kind: 'none'; groupId: string; unchanged: PlannedVariant[]; notes: OwnershipNote[] };

/** The rows of a group that are sellable variants: the children of a parent, or the standalone item itself. */
export function variantRows(group: ProductGroup): ErpItemRow[] {
  const children = group.rows.filter((r) => r.parentErpItemId !== null);
  return children.length > 0 ? children : group.rows.filter((r) => r.erpItemId === group.groupId);
}

/** The product title on create: the parent item's name, else the first variant's. */
export function groupTitle(group: ProductGroup): string {
  const parent = group.rows.find((r) => r.erpItemId === group.groupId && r.parentErpItemId === null);
  return parent?.name ?? variantRows(group)[0]?.name ?? group.groupId;
}

function optionNames(rows: ErpItemRow[]): string[] {
  const names: string[] = [];
  for (const r of rows) {
    for (const name of Object.keys(r.options ?? {})) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names;
}

/**
 * A variant's option values. Without ERP options a lone variant takes Shopify's default option; several variants
 * without options are told apart by SKU (Shopify refuses two variants with the same option values).
 */
function optionValuesOf(row: ErpItemRow, names: string[], several: boolean): { optionName: string; name: string }[] {
  if (names.length === 0) {
    return [several ? { optionName: DEFAULT_OPTION.optionName, name: row.sku } : DEFAULT_OPTION];
  }
  return names.map((optionName) => ({ optionName, name: row.options?.[optionName] ?? '-' }));
}

/** The inventory item of a new variant: SKU, cost and weight when the ERP has them; tracked. */
function newInventoryItem(fields: PushedFields): InventoryItemInput {
  return withoutNulls({
    sku: fields.sku,
    cost: fields.cost ?? undefined,
    tracked: true,
    measurement: fields.weight ? { weight: weightInput(fields.weight) } : undefined,
  });
}

function withoutNulls<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

/**
 * Plans the Shopify writes of one ERP product group. `owned`: the fields the shop's source-of-truth policy gives to
 * the ERP; the others are never written (and noted when the ERP's value differs from Shopify's).
 */
export function planProductSync(
  group: ProductGroup,
  owned: ReadonlySet<ErpOwnedField> = ALL_ERP_FIELDS,
): ProductSyncPlan {
  const notes: OwnershipNote[] = [];
  const planned: PlannedVariant[] = [];
  for (const row of variantRows(group)) {
    if (!row.active && row.shopifyVariantId === null) {
      notes.push({ sku: row.sku, reason: 'inactive in the ERP: not created in Shopify' });
      continue;
    }
    const erpFields = erpOwnedFields(row);
    const fields = ownedOnly(erpFields, row.pushedFields, owned);
    for (const field of COMPARED) {
      if (!owned.has(field) && erpFields[field] !== fields[field] && row.shopifyVariantId !== null) {
        notes.push({ sku: row.sku, reason: `${field} is owned by Shopify (source-of-truth policy): not written` });
      }
    }
    planned.push({ row, fields, hash: fieldsHash(fields), changed: changedFields(fields, row.pushedFields) });
  }
  const title = groupTitle(group);
  const names = optionNames(planned.map((p) => p.row));
  const several = variantRows(group).length > 1;
  const optionsOf = (r: ErpItemRow): { optionName: string; name: string }[] => optionValuesOf(r, names, several);
  const productId = group.shopifyProductId ?? planned.find((p) => p.row.shopifyProductId)?.row.shopifyProductId ?? null;

  if (productId === null) {
    if (planned.length === 0) {
      return { kind: 'none', groupId: group.groupId, unchanged: [], notes };
    }
    const values = (name: string): { name: string }[] =>
      [...new Set(planned.map((p) => optionsOf(p.row).find((o) => o.optionName === name)!.name))].map((v) => ({
        name: v,
      }));
    const input: ProductCreateInput = {
      title,
      status: 'DRAFT',
      productOptions: (names.length === 0 ? [DEFAULT_OPTION.optionName] : names).map((name) => ({
        name,
        values: values(name),
      })),
      variants: planned.map((p) =>
        withoutNulls({
          optionValues: optionsOf(p.row),
          sku: p.fields.sku,
          price: p.fields.price ?? undefined,
          compareAtPrice: p.fields.compareAtPrice ?? undefined,
          barcode: p.fields.barcode ?? undefined,
          inventoryItem: newInventoryItem(p.fields),
        }),
      ),
    };
    return {
      kind: 'create',
      groupId: group.groupId,
      input,
      variants: planned.map((p) => ({ ...p, fields: { ...p.fields, title } })),
      notes,
    };
  }

  const updates: VariantBulkInput[] = [];
  const creates: VariantBulkInput[] = [];
  const written: PlannedVariant[] = [];
  const unchanged: PlannedVariant[] = [];
  for (const p of planned) {
    const pushedTitle = p.row.pushedFields?.title;
    const fields = { ...p.fields, title: pushedTitle ?? null };
    if (pushedTitle !== undefined && pushedTitle !== null && p.row.name !== null && p.row.name !== pushedTitle) {
      notes.push({
        sku: p.row.sku,
        reason: `title changed in the ERP ("${p.row.name}"): the title is Shopify's after creation, not written`,
      });
    }
    if (p.row.shopifyVariantId === null) {
      creates.push({
        optionValues: optionsOf(p.row),
        ...withoutNulls({
          price: p.fields.price ?? undefined,
          compareAtPrice: p.fields.compareAtPrice ?? undefined,
          barcode: p.fields.barcode ?? undefined,
        }),
        inventoryItem: newInventoryItem(p.fields),
      });
      written.push({ ...p, fields: { ...fields, title: pushedTitle ?? title } });
      continue;
    }
    if (p.changed.length === 0) {
      unchanged.push({ ...p, fields });
      continue;
    }
    const input: VariantBulkInput = { id: p.row.shopifyVariantId };
    const item: NonNullable<VariantBulkInput['inventoryItem']> = {};
    for (const f of p.changed) {
      switch (f) {
        case 'price':
          if (p.fields.price !== null) {
            input.price = p.fields.price;
          }
          break;
        case 'barcode':
          input.barcode = p.fields.barcode;
          break;
        case 'compareAtPrice':
          input.compareAtPrice = p.fields.compareAtPrice ?? null;
          break;
        case 'weight':
          // Shopify has no "no weight": a weight the ERP dropped is left as it is in Shopify.
          if (p.fields.weight) {
            item.measurement = { weight: weightInput(p.fields.weight) };
          }
          break;
        case 'cost':
          item.cost = p.fields.cost;
          break;
        case 'sku':
          item.sku = p.fields.sku;
          break;
      }
    }
    if (Object.keys(item).length > 0) {
      input.inventoryItem = item;
    }
    if (Object.keys(input).length === 1) {
      // Only a dropped weight changed: nothing to send, the row is synced as it is.
      unchanged.push({ ...p, fields });
      continue;
    }
    updates.push(input);
    written.push({ ...p, fields });
  }
  if (updates.length === 0 && creates.length === 0) {
    return { kind: 'none', groupId: group.groupId, unchanged, notes };
  }
  return { kind: 'update', groupId: group.groupId, productId, updates, creates, variants: written, unchanged, notes };
}
