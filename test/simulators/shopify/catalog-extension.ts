import {
  connection,
  matchesTerm,
  parseSearchAlternatives,
  type ConnectionArgs,
  type SearchTerm,
} from 'test/simulators/shopify/connection';
import {
  GidFactory,
  isoAt,
  shopifyError,
  type ShopifySimExtension,
  type SimContext,
  type SimRequestContext,
} from 'test/simulators/shopify/sim-context';

/**
 * The catalog area of the Shopify simulator: products, variants, inventory items, locations and inventory levels,
 * with the mutations the ERP → Shopify writers use (`productSet`, `productVariantsBulkUpdate`, `inventoryItemUpdate`,
 * `inventorySetQuantities`) following the 2026-10 semantics of api-facts A.3. A simulation, not Shopify.
 */

export const QUANTITY_NAMES = [
  'available',
  'committed',
  'damaged',
  'incoming',
  'on_hand',
  'quality_control',
  'reserved',
  'safety_stock',
] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
/** Stored quantities; `on_hand` is derived (available + committed + reserved + damaged + quality_control + safety_stock). */
type StoredQuantities = Record<Exclude<QuantityName, 'on_hand'>, number>;

/** Reasons Shopify accepts for inventory changes (subset; api-facts A.3 marks the list unconfirmed). */
export const INVENTORY_REASONS = new Set([
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
]);

export const MAX_INPUT_ARRAY = 250;

export interface SimMedia {
  id: string;
  alt: string | null;
  url: string;
}

export interface SimProduct {
  id: string;
  title: string;
  handle: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT' | 'UNLISTED';
  vendor: string;
  productType: string;
  descriptionHtml: string;
  seo: { title: string | null; description: string | null };
  tags: string[];
  media: SimMedia[];
  options: { id: string; name: string; values: string[] }[];
  metafields: { namespace: string; key: string; value: string; type: string }[];
  variantIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface SimVariant {
  id: string;
  productId: string;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  taxable: boolean;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  position: number;
  optionValues: { optionName: string; name: string }[];
  inventoryItemId: string;
  createdAt: number;
  updatedAt: number;
}

export interface SimInventoryItem {
  id: string;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  /** Decimal string in shop currency, or null. */
  cost: string | null;
  weight: { unit: 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS'; value: number } | null;
  variantIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface SimLocation {
  id: string;
  name: string;
  isActive: boolean;
  createdAt: number;
}

export interface SimLevel {
  itemId: string;
  locationId: string;
  quantities: StoredQuantities;
  createdAt: number;
  updatedAt: number;
}

/** Seed input for `catalog.addProduct`. */
export interface SeedVariant {
  sku: string;
  price?: string;
  compareAtPrice?: string | null;
  barcode?: string | null;
  cost?: string | null;
  weight?: SimInventoryItem['weight'];
  optionValues?: { optionName: string; name: string }[];
  /** Levels to create: location id → quantities. */
  levels?: Record<string, Partial<Record<Exclude<QuantityName, 'on_hand'>, number>>>;
}

export interface SeedProduct {
  title: string;
  handle?: string;
  descriptionHtml?: string;
  seo?: { title?: string | null; description?: string | null };
  tags?: string[];
  media?: { alt?: string | null; url: string }[];
  vendor?: string;
  status?: SimProduct['status'];
  metafields?: SimProduct['metafields'];
  variants: SeedVariant[];
}

type UserError = { field: string[] | null; message: string; code: string | null };

function given<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'product'
  );
}

function onHand(q: StoredQuantities): number {
  return q.available + q.committed + q.reserved + q.damaged + q.quality_control + q.safety_stock;
}

function quantityOf(level: SimLevel, name: QuantityName): number {
  return name === 'on_hand' ? onHand(level.quantities) : level.quantities[name];
}

function emptyQuantities(): StoredQuantities {
  return { available: 0, committed: 0, damaged: 0, incoming: 0, quality_control: 0, reserved: 0, safety_stock: 0 };
}

function money(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : String(value);
}

/** Catalog state with seeding and inspection helpers for tests. */
export class CatalogState {
  readonly products = new Map<string, SimProduct>();
  readonly variants = new Map<string, SimVariant>();
  readonly items = new Map<string, SimInventoryItem>();
  readonly locations = new Map<string, SimLocation>();
  readonly levels = new Map<string, SimLevel>();
  currencyCode = 'EUR';

  constructor(private readonly sim: SimContext) {}

  private now(): number {
    return this.sim.clock.now();
  }

  reset(): void {
    this.products.clear();
    this.variants.clear();
    this.items.clear();
    this.locations.clear();
    this.levels.clear();
  }

  // ---- seeding -------------------------------------------------------------------------------------------------

  addLocation(name: string, isActive = true): SimLocation {
    const loc: SimLocation = { id: this.sim.ids.next('Location'), name, isActive, createdAt: this.now() };
    this.locations.set(loc.id, loc);
    return loc;
  }

  /** Creates a product with its variants, inventory items and levels (no ledger entry, no event: the merchant's doing). */
  addProduct(seed: SeedProduct): { product: SimProduct; variants: SimVariant[] } {
    const now = this.now();
    const optionNames = new Map<string, Set<string>>();
    for (const v of seed.variants) {
      for (const ov of v.optionValues ?? [{ optionName: 'Title', name: 'Default Title' }]) {
        const set = optionNames.get(ov.optionName) ?? new Set<string>();
        set.add(ov.name);
        optionNames.set(ov.optionName, set);
      }
    }
    const product: SimProduct = {
      id: this.sim.ids.next('Product'),
      title: seed.title,
      handle: seed.handle ?? this.uniqueHandle(slug(seed.title)),
      status: seed.status ?? 'ACTIVE',
      vendor: seed.vendor ?? 'Simulated Store',
      productType: '',
      descriptionHtml: seed.descriptionHtml ?? '',
      seo: { title: seed.seo?.title ?? null, description: seed.seo?.description ?? null },
      tags: seed.tags ?? [],
      media: (seed.media ?? []).map((m) => ({ id: this.sim.ids.next('MediaImage'), alt: m.alt ?? null, url: m.url })),
      options: [...optionNames].map(([name, values]) => ({
        id: this.sim.ids.next('ProductOption'),
        name,
        values: [...values],
      })),
      metafields: seed.metafields ?? [],
      variantIds: [],
      createdAt: now,
      updatedAt: now,
    };
    this.products.set(product.id, product);
    const variants = seed.variants.map((v, i) => {
      const variant = this.createVariant(product, {
        price: v.price ?? '0.00',
        compareAtPrice: v.compareAtPrice ?? null,
        barcode: v.barcode ?? null,
        position: i + 1,
        optionValues: v.optionValues ?? [{ optionName: 'Title', name: 'Default Title' }],
        sku: v.sku,
        cost: v.cost ?? null,
        weight: v.weight ?? null,
      });
      for (const [locationId, q] of Object.entries(v.levels ?? {})) {
        this.setLevel(variant.inventoryItemId, locationId, q);
      }
      return variant;
    });
    return { product, variants };
  }

  /** Creates or changes a level (merchant or warehouse activity: no ledger entry). Unset names keep their value. */
  setLevel(
    itemId: string,
    locationId: string,
    quantities: Partial<Record<Exclude<QuantityName, 'on_hand'>, number>>,
  ): SimLevel {
    if (!this.items.has(itemId)) {
      throw new Error(`no inventory item ${itemId}`);
    }
    if (!this.locations.has(locationId)) {
      throw new Error(`no location ${locationId}`);
    }
    const key = `${itemId}|${locationId}`;
    const now = this.now();
    const level = this.levels.get(key) ?? {
      itemId,
      locationId,
      quantities: emptyQuantities(),
      createdAt: now,
      updatedAt: now,
    };
    Object.assign(level.quantities, quantities);
    level.updatedAt = now;
    this.levels.set(key, level);
    return level;
  }

  level(itemId: string, locationId: string): SimLevel | undefined {
    return this.levels.get(`${itemId}|${locationId}`);
  }

  /** A quantity (including the derived `on_hand`) of one level; undefined when the item is not stocked there. */
  quantity(itemId: string, locationId: string, name: QuantityName = 'available'): number | undefined {
    const level = this.level(itemId, locationId);
    return level ? quantityOf(level, name) : undefined;
  }

  variantBySku(sku: string): SimVariant | undefined {
    for (const v of this.variants.values()) {
      if (this.items.get(v.inventoryItemId)?.sku === sku) {
        return v;
      }
    }
    return undefined;
  }

  itemBySku(sku: string): SimInventoryItem | undefined {
    const v = this.variantBySku(sku);
    return v ? this.items.get(v.inventoryItemId) : undefined;
  }

  productBySku(sku: string): SimProduct | undefined {
    const v = this.variantBySku(sku);
    return v ? this.products.get(v.productId) : undefined;
  }

  variantsOf(product: SimProduct): SimVariant[] {
    return product.variantIds.map((id) => this.variants.get(id)!).sort((a, b) => a.position - b.position);
  }

  /** A merchant edit in the Shopify admin (images, SEO, description, tags, or an ERP-owned field: drift). */
  merchantEdit(
    productId: string,
    edit: Partial<Pick<SimProduct, 'title' | 'descriptionHtml' | 'tags'>> & {
      seo?: SimProduct['seo'];
      media?: { alt?: string | null; url: string }[];
      variant?: { id: string; price?: string; compareAtPrice?: string | null; barcode?: string | null };
    },
    emitWebhook = true,
  ): void {
    const p = this.products.get(productId);
    if (!p) {
      throw new Error(`no product ${productId}`);
    }
    const { media, variant, seo, ...rest } = edit;
    Object.assign(p, rest);
    if (seo) {
      p.seo = seo;
    }
    if (media) {
      p.media = media.map((m) => ({ id: this.sim.ids.next('MediaImage'), alt: m.alt ?? null, url: m.url }));
    }
    if (variant) {
      const v = this.variants.get(variant.id)!;
      const { id: _id, ...fields } = variant;
      Object.assign(v, fields);
      v.updatedAt = this.now();
    }
    p.updatedAt = this.now();
    if (emitWebhook) {
      this.sim.emit('products/update', this.productWebhookPayload(p.id));
    }
  }

  /**
   * The merchant deletes a product in the Shopify admin: the product, its variants, their inventory items and levels
   * are gone (`products/delete` is sent); a mutation that names any of their ids is answered as Shopify does
   * (`PRODUCT_DOES_NOT_EXIST`, `PRODUCT_VARIANT_DOES_NOT_EXIST`). Re-creating it (`addProduct`) makes new ids.
   */
  merchantDelete(productId: string, emitWebhook = true): void {
    const p = this.products.get(productId);
    if (!p) {
      throw new Error(`no product ${productId}`);
    }
    for (const variantId of [...p.variantIds]) {
      this.deleteVariant(variantId);
    }
    this.products.delete(productId);
    if (emitWebhook) {
      this.sim.emit('products/delete', { id: Number(GidFactory.numeric(productId)) });
    }
  }

  /** The REST-shaped `products/update` webhook body Shopify would send for this product now. */
  productWebhookPayload(productId: string): Record<string, unknown> {
    const p = this.products.get(productId)!;
    const variants = this.variantsOf(p);
    return {
      id: Number(GidFactory.numeric(p.id)),
      admin_graphql_api_id: p.id,
      title: p.title,
      handle: p.handle,
      body_html: p.descriptionHtml,
      vendor: p.vendor,
      product_type: p.productType,
      status: p.status.toLowerCase(),
      tags: p.tags.join(', '),
      created_at: isoAt(p.createdAt),
      updated_at: isoAt(p.updatedAt),
      options: p.options.map((o, i) => ({ name: o.name, position: i + 1, values: o.values })),
      images: p.media.map((m, i) => ({
        id: Number(GidFactory.numeric(m.id)),
        alt: m.alt,
        src: m.url,
        position: i + 1,
      })),
      variants: variants.map((v) => {
        const item = this.items.get(v.inventoryItemId)!;
        return {
          id: Number(GidFactory.numeric(v.id)),
          admin_graphql_api_id: v.id,
          product_id: Number(GidFactory.numeric(p.id)),
          title: v.optionValues.map((o) => o.name).join(' / '),
          sku: item.sku,
          price: v.price,
          compare_at_price: v.compareAtPrice,
          barcode: v.barcode,
          position: v.position,
          taxable: v.taxable,
          inventory_policy: v.inventoryPolicy.toLowerCase(),
          inventory_item_id: Number(GidFactory.numeric(item.id)),
          ...Object.fromEntries(v.optionValues.map((o, i) => [`option${i + 1}`, o.name])),
          created_at: isoAt(v.createdAt),
          updated_at: isoAt(v.updatedAt),
        };
      }),
    };
  }

  // ---- internals used by the resolvers -------------------------------------------------------------------------

  uniqueHandle(base: string): string {
    const taken = new Set([...this.products.values()].map((p) => p.handle));
    let handle = base;
    for (let n = 1; taken.has(handle); n += 1) {
      handle = `${base}-${n}`;
    }
    return handle;
  }

  createVariant(
    product: SimProduct,
    v: Omit<
      SimVariant,
      'id' | 'productId' | 'inventoryItemId' | 'createdAt' | 'updatedAt' | 'taxable' | 'inventoryPolicy'
    > & {
      sku: string | null;
      cost: string | null;
      weight: SimInventoryItem['weight'];
      taxable?: boolean;
      inventoryPolicy?: SimVariant['inventoryPolicy'];
    },
  ): SimVariant {
    const now = this.now();
    const item: SimInventoryItem = {
      id: this.sim.ids.next('InventoryItem'),
      sku: v.sku,
      tracked: true,
      requiresShipping: true,
      cost: v.cost,
      weight: v.weight,
      variantIds: [],
      createdAt: now,
      updatedAt: now,
    };
    const variant: SimVariant = {
      id: this.sim.ids.next('ProductVariant'),
      productId: product.id,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      barcode: v.barcode,
      taxable: v.taxable ?? true,
      inventoryPolicy: v.inventoryPolicy ?? 'DENY',
      position: v.position,
      optionValues: v.optionValues,
      inventoryItemId: item.id,
      createdAt: now,
      updatedAt: now,
    };
    item.variantIds.push(variant.id);
    this.items.set(item.id, item);
    this.variants.set(variant.id, variant);
    product.variantIds.push(variant.id);
    return variant;
  }

  deleteVariant(variantId: string): void {
    const v = this.variants.get(variantId);
    if (!v) {
      return;
    }
    this.variants.delete(variantId);
    const p = this.products.get(v.productId);
    if (p) {
      p.variantIds = p.variantIds.filter((id) => id !== variantId);
    }
    this.items.delete(v.inventoryItemId);
    for (const key of [...this.levels.keys()]) {
      if (key.startsWith(`${v.inventoryItemId}|`)) {
        this.levels.delete(key);
      }
    }
  }

  touch(product: SimProduct): void {
    product.updatedAt = this.now();
  }
}

// ---- views: what GraphQL resolves (nested fields are functions of (args, context)) -------------------------------

export class CatalogViews {
  constructor(private readonly catalog: CatalogState) {}

  money(amount: string | null): unknown {
    return amount === null ? null : { amount, currencyCode: this.catalog.currencyCode };
  }

  product(p: SimProduct): unknown {
    const c = this.catalog;
    const variants = (): SimVariant[] => c.variantsOf(p);
    return {
      __typename: 'Product',
      id: p.id,
      legacyResourceId: GidFactory.numeric(p.id),
      title: p.title,
      handle: p.handle,
      status: p.status,
      vendor: p.vendor,
      productType: p.productType,
      descriptionHtml: p.descriptionHtml,
      description: p.descriptionHtml.replace(/<[^>]*>/g, ''),
      seo: { ...p.seo },
      tags: [...p.tags],
      createdAt: isoAt(p.createdAt),
      updatedAt: isoAt(p.updatedAt),
      hasOnlyDefaultVariant: p.variantIds.length === 1 && p.options.length === 1 && p.options[0].name === 'Title',
      totalInventory: variants().reduce(
        (sum, v) =>
          sum +
          [...c.levels.values()]
            .filter((l) => l.itemId === v.inventoryItemId)
            .reduce((s, l) => s + l.quantities.available, 0),
        0,
      ),
      tracksInventory: true,
      options: (args: { first?: number }) =>
        p.options.slice(0, args.first ?? p.options.length).map((o, i) => ({
          id: o.id,
          name: o.name,
          position: i + 1,
          values: [...o.values],
          optionValues: o.values.map((v) => ({ id: `${o.id}/${v}`, name: v, hasVariants: true })),
        })),
      variants: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(variants(), args, ctx, (v) => this.variant(v)),
      variantsCount: { count: p.variantIds.length, precision: 'EXACT' },
      media: (args: ConnectionArgs, ctx: SimRequestContext) => connection(p.media, args, ctx, (m) => this.media(m)),
      featuredMedia: p.media[0] ? this.media(p.media[0]) : null,
      metafield: (args: { namespace?: string; key: string }) => {
        const m = p.metafields.find((f) => f.key === args.key && (args.namespace ?? '$app') === f.namespace);
        return m ? { ...m, id: `gid://shopify/Metafield/${m.namespace}.${m.key}` } : null;
      },
    };
  }

  media(m: SimMedia): unknown {
    return {
      __typename: 'MediaImage',
      id: m.id,
      alt: m.alt,
      mediaContentType: 'IMAGE',
      status: 'READY',
      image: { id: m.id.replace('MediaImage', 'ImageSource'), url: m.url, altText: m.alt },
    };
  }

  variant(v: SimVariant): unknown {
    const c = this.catalog;
    const item = c.items.get(v.inventoryItemId)!;
    return {
      __typename: 'ProductVariant',
      id: v.id,
      legacyResourceId: GidFactory.numeric(v.id),
      title: v.optionValues.map((o) => o.name).join(' / '),
      displayName: `${c.products.get(v.productId)?.title ?? ''} - ${v.optionValues.map((o) => o.name).join(' / ')}`,
      sku: item.sku,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      barcode: v.barcode,
      taxable: v.taxable,
      inventoryPolicy: v.inventoryPolicy,
      position: v.position,
      createdAt: isoAt(v.createdAt),
      updatedAt: isoAt(v.updatedAt),
      selectedOptions: v.optionValues.map((o) => ({ name: o.optionName, value: o.name })),
      inventoryQuantity: [...c.levels.values()]
        .filter((l) => l.itemId === v.inventoryItemId)
        .reduce((s, l) => s + l.quantities.available, 0),
      product: () => this.product(c.products.get(v.productId)!),
      inventoryItem: () => this.item(c.items.get(v.inventoryItemId)!),
    };
  }

  item(i: SimInventoryItem): unknown {
    const c = this.catalog;
    const levels = (): SimLevel[] => [...c.levels.values()].filter((l) => l.itemId === i.id);
    return {
      __typename: 'InventoryItem',
      id: i.id,
      legacyResourceId: GidFactory.numeric(i.id),
      sku: i.sku,
      tracked: i.tracked,
      requiresShipping: i.requiresShipping,
      unitCost: this.money(i.cost),
      duplicateSkuCount: i.sku === null ? 0 : [...c.items.values()].filter((x) => x.sku === i.sku).length - 1,
      createdAt: isoAt(i.createdAt),
      updatedAt: isoAt(i.updatedAt),
      measurement: { id: i.id.replace('InventoryItem', 'InventoryItemMeasurement'), weight: i.weight },
      locationsCount: { count: levels().length, precision: 'EXACT' },
      variants: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(
          i.variantIds.map((id) => c.variants.get(id)!),
          args,
          ctx,
          (v) => this.variant(v),
        ),
      inventoryLevel: (args: { locationId: string }) => {
        const l = c.level(i.id, args.locationId);
        return l ? this.level(l) : null;
      },
      inventoryLevels: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(levels(), args, ctx, (l) => this.level(l)),
    };
  }

  location(l: SimLocation): unknown {
    const c = this.catalog;
    const levels = (): SimLevel[] => [...c.levels.values()].filter((x) => x.locationId === l.id);
    return {
      __typename: 'Location',
      id: l.id,
      legacyResourceId: GidFactory.numeric(l.id),
      name: l.name,
      isActive: l.isActive,
      fulfillsOnlineOrders: true,
      hasActiveInventory: levels().length > 0,
      shipsInventory: true,
      createdAt: isoAt(l.createdAt),
      updatedAt: isoAt(l.createdAt),
      inventoryLevel: (args: { inventoryItemId: string }) => {
        const x = c.level(args.inventoryItemId, l.id);
        return x ? this.level(x) : null;
      },
      inventoryLevels: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(levels(), args, ctx, (x) => this.level(x)),
    };
  }

  static levelId(l: { itemId: string; locationId: string }): string {
    return `gid://shopify/InventoryLevel/${GidFactory.numeric(l.locationId)}?inventory_item_id=${GidFactory.numeric(l.itemId)}`;
  }

  level(l: SimLevel): unknown {
    const c = this.catalog;
    return {
      __typename: 'InventoryLevel',
      id: CatalogViews.levelId(l),
      isActive: true,
      canDeactivate: true,
      createdAt: isoAt(l.createdAt),
      updatedAt: isoAt(l.updatedAt),
      quantities: (args: { names: string[] }) =>
        args.names.map((name) => {
          if (!(QUANTITY_NAMES as readonly string[]).includes(name)) {
            throw shopifyError(`Invalid quantity name: ${name}`, 'BAD_REQUEST');
          }
          return {
            id: `gid://shopify/InventoryQuantity/${GidFactory.numeric(l.locationId)}?inventory_item_id=${GidFactory.numeric(l.itemId)}&name=${name}`,
            name,
            quantity: quantityOf(l, name as QuantityName),
            updatedAt: isoAt(l.updatedAt),
          };
        }),
      item: () => this.item(c.items.get(l.itemId)!),
      location: () => this.location(c.locations.get(l.locationId)!),
    };
  }
}

// ---- resolvers ---------------------------------------------------------------------------------------------------

type SearchValue = string | number | null | undefined | (string | null)[];

/** Items matching every term of one alternative; `field` gives an item's value (a list matches when any element does). */
function filterBy<T>(items: T[], alternatives: SearchTerm[][], field: (item: T, key: string) => SearchValue): T[] {
  if (alternatives.length === 0) {
    return items;
  }
  const matches = (item: T, t: SearchTerm): boolean => {
    const value = field(item, t.key);
    if (value === undefined) {
      throw shopifyError(`Simulator does not support filtering on "${t.key}"`, 'BAD_REQUEST');
    }
    return Array.isArray(value) ? value.some((v) => matchesTerm(t, v)) : matchesTerm(t, value);
  };
  return items.filter((item) => alternatives.some((terms) => terms.every((t) => matches(item, t))));
}

interface VariantInput {
  id?: string | null;
  optionValues?: { optionName?: string | null; name?: string | null }[] | null;
  sku?: string | null;
  barcode?: string | null;
  price?: string | null;
  compareAtPrice?: string | null;
  taxable?: boolean | null;
  inventoryPolicy?: SimVariant['inventoryPolicy'] | null;
  position?: number | null;
  inventoryItem?: ItemInput | null;
  inventoryQuantities?: { locationId: string; name: string; quantity: number }[] | null;
  quantityAdjustments?: unknown[] | null;
}

interface ItemInput {
  cost?: string | number | null;
  sku?: string | null;
  tracked?: boolean | null;
  requiresShipping?: boolean | null;
  measurement?: { weight?: SimInventoryItem['weight'] | null } | null;
}

function applyItemInput(item: SimInventoryItem, input: ItemInput | null | undefined, now: number): void {
  if (!input) {
    return;
  }
  if (input.cost !== undefined) {
    item.cost = input.cost === null ? null : money(input.cost);
  }
  if (input.sku !== undefined) {
    item.sku = input.sku;
  }
  if (input.tracked !== undefined && input.tracked !== null) {
    item.tracked = input.tracked;
  }
  if (input.requiresShipping !== undefined && input.requiresShipping !== null) {
    item.requiresShipping = input.requiresShipping;
  }
  if (input.measurement?.weight !== undefined) {
    item.weight = input.measurement.weight;
  }
  item.updatedAt = now;
}

/** Builds the catalog extension; `state` and `views` are exposed on the simulator as `sim.catalog`. */
export function catalogExtension(sim: SimContext): {
  extension: ShopifySimExtension;
  state: CatalogState;
  views: CatalogViews;
} {
  const state = new CatalogState(sim);
  const views = new CatalogViews(state);
  const now = (): number => sim.clock.now();

  const productSearch = (p: SimProduct, key: string): SearchValue => {
    switch (key) {
      case 'id':
        return GidFactory.numeric(p.id);
      case 'title':
        return p.title;
      case 'handle':
        return p.handle;
      case 'status':
        return p.status;
      case 'sku':
        return state.variantsOf(p).map((v) => state.items.get(v.inventoryItemId)?.sku ?? null);
      case 'updated_at':
        return isoAt(p.updatedAt);
      case 'created_at':
        return isoAt(p.createdAt);
      default:
        return undefined;
    }
  };

  function findProductByIdentifier(identifier: {
    id?: string | null;
    handle?: string | null;
    customId?: { namespace?: string | null; key: string; value: string } | null;
  }): SimProduct | undefined {
    if (identifier.id) {
      return state.products.get(identifier.id);
    }
    if (identifier.handle) {
      return [...state.products.values()].find((p) => p.handle === identifier.handle);
    }
    if (identifier.customId) {
      const c = identifier.customId;
      return [...state.products.values()].find((p) =>
        p.metafields.some((m) => m.namespace === (c.namespace ?? '$app') && m.key === c.key && m.value === c.value),
      );
    }
    return undefined;
  }

  function productSet(args: Record<string, any>): unknown {
    const identifier = (args.identifier ?? {}) as Parameters<typeof findProductByIdentifier>[0];
    const input = args.input as Record<string, any>;
    const errors: UserError[] = [];
    const setIds = ['id', 'handle', 'customId'].filter((k) => given(identifier[k as keyof typeof identifier]));
    if (setIds.length > 1) {
      // ProductSetIdentifiers is @oneOf.
      throw shopifyError('ProductSetIdentifiers requires exactly one key', 'BAD_REQUEST');
    }
    const idFromInput = input.id as string | undefined;
    let product = findProductByIdentifier(idFromInput ? { id: idFromInput } : identifier);
    if (!product && (identifier.id || idFromInput)) {
      errors.push({ field: ['identifier', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' });
    }
    const creating = !product;
    if (creating && !input.title) {
      errors.push({ field: ['input', 'title'], message: "Title can't be blank", code: 'INVALID_PRODUCT' });
    }
    const variantsIn = input.variants as VariantInput[] | undefined;
    const optionsIn = input.productOptions as { name?: string; values?: { name?: string }[] }[] | undefined;
    if (variantsIn && !optionsIn) {
      errors.push({
        field: ['input', 'productOptions'],
        message: 'Product options input is required when updating variants',
        code: 'PRODUCT_OPTIONS_INPUT_MISSING',
      });
    }
    if (optionsIn && !variantsIn) {
      errors.push({
        field: ['input', 'variants'],
        message: 'Variants input is required when updating product options',
        code: 'VARIANTS_INPUT_MISSING',
      });
    }
    if (variantsIn && variantsIn.length > 2048) {
      errors.push({ field: ['input', 'variants'], message: 'Too many variants', code: 'VARIANTS_OVER_LIMIT' });
    }
    const optionValues = new Map(
      (optionsIn ?? []).map((o) => [o.name ?? '', new Set((o.values ?? []).map((v) => v.name ?? ''))]),
    );
    (variantsIn ?? []).forEach((v, i) => {
      if (v.id && (!product || !product.variantIds.includes(v.id))) {
        errors.push({
          field: ['input', 'variants', String(i), 'id'],
          message: 'Product variant does not exist',
          code: 'PRODUCT_VARIANT_DOES_NOT_EXIST',
        });
      }
      for (const ov of v.optionValues ?? []) {
        if (!optionValues.get(ov.optionName ?? '')?.has(ov.name ?? '')) {
          errors.push({
            field: ['input', 'variants', String(i), 'optionValues'],
            message: `Option value ${ov.optionName}/${ov.name} does not exist`,
            code: 'OPTION_VALUE_DOES_NOT_EXIST',
          });
        }
      }
      if ((v.optionValues ?? []).length !== optionValues.size) {
        errors.push({
          field: ['input', 'variants', String(i), 'optionValues'],
          message: 'Each variant needs one value for every option',
          code: 'OPTION_VALUES_MISSING',
        });
      }
      for (const q of v.inventoryQuantities ?? []) {
        if (!state.locations.has(q.locationId)) {
          errors.push({
            field: ['input', 'variants', String(i), 'inventoryQuantities'],
            message: 'Location does not exist',
            code: 'INVALID_INPUT',
          });
        }
      }
    });
    if (errors.length > 0) {
      return { product: null, productSetOperation: null, userErrors: errors };
    }

    const t = now();
    if (!product) {
      product = {
        id: sim.ids.next('Product'),
        title: input.title as string,
        handle: state.uniqueHandle(
          (input.handle as string | undefined) ?? identifier.handle ?? slug(input.title as string),
        ),
        status: 'ACTIVE',
        vendor: 'Simulated Store',
        productType: '',
        descriptionHtml: '',
        seo: { title: null, description: null },
        tags: [],
        media: [],
        options: [{ id: sim.ids.next('ProductOption'), name: 'Title', values: ['Default Title'] }],
        metafields: [],
        variantIds: [],
        createdAt: t,
        updatedAt: t,
      };
      state.products.set(product.id, product);
      if (identifier.customId) {
        product.metafields.push({
          namespace: identifier.customId.namespace ?? '$app',
          key: identifier.customId.key,
          value: identifier.customId.value,
          type: 'single_line_text_field',
        });
      }
    }
    // Scalars merge; list fields replace.
    for (const key of ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status'] as const) {
      if (input[key] !== undefined && input[key] !== null) {
        (product as unknown as Record<string, unknown>)[key] = input[key];
      }
    }
    if (input.seo) {
      product.seo = {
        title: input.seo.title !== undefined ? input.seo.title : product.seo.title,
        description: input.seo.description !== undefined ? input.seo.description : product.seo.description,
      };
    }
    if (input.tags) {
      product.tags = [...(input.tags as string[])];
    }
    if (input.files) {
      product.media = (input.files as { originalSource?: string; alt?: string }[]).map((f) => ({
        id: sim.ids.next('MediaImage'),
        alt: f.alt ?? null,
        url: f.originalSource ?? '',
      }));
    }
    if (input.metafields) {
      product.metafields = (
        input.metafields as { namespace?: string; key: string; value: string; type?: string }[]
      ).map((m) => ({
        namespace: m.namespace ?? '$app',
        key: m.key,
        value: m.value,
        type: m.type ?? 'single_line_text_field',
      }));
    }
    if (optionsIn && variantsIn) {
      product.options = optionsIn.map((o) => ({
        id: sim.ids.next('ProductOption'),
        name: o.name ?? '',
        values: (o.values ?? []).map((v) => v.name ?? ''),
      }));
      const keep = new Set<string>();
      variantsIn.forEach((vi, i) => {
        const ovs = (vi.optionValues ?? []).map((o) => ({ optionName: o.optionName ?? '', name: o.name ?? '' }));
        const sameOptions = (v: SimVariant): boolean =>
          v.optionValues.length === ovs.length &&
          ovs.every((o) => v.optionValues.some((x) => x.optionName === o.optionName && x.name === o.name));
        let variant = vi.id
          ? state.variants.get(vi.id)
          : state.variantsOf(product).find((v) => !keep.has(v.id) && sameOptions(v));
        if (!variant) {
          variant = state.createVariant(product, {
            price: given(vi.price) ? money(vi.price) : '0.00',
            compareAtPrice: given(vi.compareAtPrice) ? money(vi.compareAtPrice) : null,
            barcode: vi.barcode ?? null,
            position: vi.position ?? i + 1,
            optionValues: ovs,
            sku: vi.sku ?? vi.inventoryItem?.sku ?? null,
            cost: null,
            weight: null,
            taxable: vi.taxable ?? true,
            inventoryPolicy: vi.inventoryPolicy ?? 'DENY',
          });
        } else {
          if (vi.price !== undefined && vi.price !== null) {
            variant.price = money(vi.price);
          }
          if (vi.compareAtPrice !== undefined) {
            variant.compareAtPrice = vi.compareAtPrice === null ? null : money(vi.compareAtPrice);
          }
          if (vi.barcode !== undefined) {
            variant.barcode = vi.barcode;
          }
          if (given(vi.taxable)) {
            variant.taxable = vi.taxable;
          }
          if (given(vi.inventoryPolicy)) {
            variant.inventoryPolicy = vi.inventoryPolicy;
          }
          variant.position = vi.position ?? i + 1;
          variant.optionValues = ovs;
          variant.updatedAt = t;
        }
        const item = state.items.get(variant.inventoryItemId)!;
        if (vi.sku !== undefined) {
          item.sku = vi.sku;
        }
        applyItemInput(item, vi.inventoryItem, t);
        for (const q of vi.inventoryQuantities ?? []) {
          const name = q.name === 'on_hand' ? 'available' : (q.name as Exclude<QuantityName, 'on_hand'>);
          state.setLevel(item.id, q.locationId, { [name]: q.quantity });
        }
        keep.add(variant.id);
      });
      for (const id of [...product.variantIds]) {
        if (!keep.has(id)) {
          state.deleteVariant(id);
        }
      }
    } else if (creating) {
      state.createVariant(product, {
        price: '0.00',
        compareAtPrice: null,
        barcode: null,
        position: 1,
        optionValues: [{ optionName: 'Title', name: 'Default Title' }],
        sku: null,
        cost: null,
        weight: null,
      });
    }
    state.touch(product);
    sim.emit(creating ? 'products/create' : 'products/update', state.productWebhookPayload(product.id));
    return { product: views.product(product), productSetOperation: null, userErrors: [] };
  }

  function productVariantsBulkUpdate(args: Record<string, any>): unknown {
    const product = state.products.get(args.productId as string);
    const inputs = args.variants as VariantInput[];
    const allowPartial = args.allowPartialUpdates === true;
    if (!product) {
      return {
        product: null,
        productVariants: null,
        userErrors: [{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }],
      };
    }
    const errors: UserError[] = [];
    const ok: number[] = [];
    inputs.forEach((vi, i) => {
      const at = (f: string): string[] => ['variants', String(i), f];
      const before = errors.length;
      if (!vi.id) {
        errors.push({ field: at('id'), message: 'Product variant id is missing', code: 'PRODUCT_VARIANT_ID_MISSING' });
      } else if (!state.variants.has(vi.id)) {
        errors.push({
          field: at('id'),
          message: 'Product variant does not exist',
          code: 'PRODUCT_VARIANT_DOES_NOT_EXIST',
        });
      } else if (state.variants.get(vi.id)!.productId !== product.id) {
        errors.push({ field: at('id'), message: 'Variant must be for this product', code: 'MUST_BE_FOR_THIS_PRODUCT' });
      }
      if (vi.inventoryQuantities) {
        errors.push({
          field: at('inventoryQuantities'),
          message: 'Inventory quantities can only be provided during create',
          code: 'NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE',
        });
      }
      if (given(vi.price) && Number(vi.price) < 0) {
        errors.push({ field: at('price'), message: 'Price must be >= 0', code: 'NEGATIVE_PRICE_VALUE' });
      }
      if (errors.length === before) {
        ok.push(i);
      }
    });
    if (errors.length > 0 && !allowPartial) {
      return { product: views.product(product), productVariants: null, userErrors: errors };
    }
    const t = now();
    const updated = ok.map((i) => {
      const vi = inputs[i];
      const v = state.variants.get(vi.id!)!;
      if (given(vi.price)) {
        v.price = money(vi.price);
      }
      if (vi.compareAtPrice !== undefined) {
        v.compareAtPrice = vi.compareAtPrice === null ? null : money(vi.compareAtPrice);
      }
      if (vi.barcode !== undefined) {
        v.barcode = vi.barcode;
      }
      if (given(vi.taxable)) {
        v.taxable = vi.taxable;
      }
      if (given(vi.inventoryPolicy)) {
        v.inventoryPolicy = vi.inventoryPolicy;
      }
      applyItemInput(state.items.get(v.inventoryItemId)!, vi.inventoryItem, t);
      v.updatedAt = t;
      return views.variant(v);
    });
    state.touch(product);
    sim.emit('products/update', state.productWebhookPayload(product.id));
    return { product: views.product(product), productVariants: updated, userErrors: errors };
  }

  function productVariantsBulkCreate(args: Record<string, any>): unknown {
    const product = state.products.get(args.productId as string);
    const inputs = args.variants as VariantInput[];
    if (!product) {
      return {
        product: null,
        productVariants: null,
        userErrors: [{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }],
      };
    }
    const errors: UserError[] = [];
    const names = product.options.map((o) => o.name);
    const combos = new Set(state.variantsOf(product).map((v) => JSON.stringify(v.optionValues.map((o) => o.name))));
    inputs.forEach((vi, i) => {
      const ovs = vi.optionValues ?? [];
      if (ovs.length !== names.length || ovs.some((o) => !names.includes(o.optionName ?? ''))) {
        errors.push({
          field: ['variants', String(i), 'optionValues'],
          message: `Option values must name the product's options (${names.join(', ')})`,
          code: 'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS',
        });
        return;
      }
      const combo = JSON.stringify(names.map((n) => ovs.find((o) => o.optionName === n)!.name));
      if (combos.has(combo)) {
        errors.push({
          field: ['variants', String(i)],
          message: 'Variant already exists',
          code: 'VARIANT_ALREADY_EXISTS',
        });
      }
      combos.add(combo);
      if (given(vi.price) && Number(vi.price) < 0) {
        errors.push({
          field: ['variants', String(i), 'price'],
          message: 'Price must be >= 0',
          code: 'NEGATIVE_PRICE_VALUE',
        });
      }
    });
    if (errors.length > 0) {
      return { product: views.product(product), productVariants: null, userErrors: errors };
    }
    const t = now();
    const created = inputs.map((vi) => {
      const ovs = names.map((n) => ({
        optionName: n,
        name: vi.optionValues!.find((o) => o.optionName === n)!.name ?? '',
      }));
      for (const o of ovs) {
        const option = product.options.find((x) => x.name === o.optionName)!;
        if (!option.values.includes(o.name)) {
          option.values.push(o.name);
        }
      }
      const variant = state.createVariant(product, {
        price: given(vi.price) ? money(vi.price) : '0.00',
        compareAtPrice: given(vi.compareAtPrice) ? money(vi.compareAtPrice) : null,
        barcode: vi.barcode ?? null,
        position: product.variantIds.length + 1,
        optionValues: ovs,
        sku: vi.inventoryItem?.sku ?? null,
        cost: null,
        weight: null,
        taxable: vi.taxable ?? true,
        inventoryPolicy: vi.inventoryPolicy ?? 'DENY',
      });
      applyItemInput(state.items.get(variant.inventoryItemId)!, vi.inventoryItem, t);
      for (const q of vi.inventoryQuantities ?? []) {
        state.setLevel(variant.inventoryItemId, q.locationId, { available: q.quantity });
      }
      return views.variant(variant);
    });
    state.touch(product);
    sim.emit('products/update', state.productWebhookPayload(product.id));
    return { product: views.product(product), productVariants: created, userErrors: [] };
  }

  function inventoryItemUpdate(args: Record<string, any>): unknown {
    const item = state.items.get(args.id as string);
    if (!item) {
      return { inventoryItem: null, userErrors: [{ field: ['id'], message: 'Inventory item does not exist' }] };
    }
    applyItemInput(item, args.input as ItemInput, now());
    return { inventoryItem: views.item(item), userErrors: [] };
  }

  function inventorySetQuantities(args: Record<string, any>): unknown {
    const input = args.input as {
      name: string;
      reason: string;
      referenceDocumentUri?: string | null;
      quantities: {
        inventoryItemId: string;
        locationId: string;
        quantity: number;
        changeFromQuantity?: number | null;
      }[];
    };
    if (input.quantities.length > MAX_INPUT_ARRAY) {
      throw shopifyError(
        `The input array size of ${input.quantities.length} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`,
        'MAX_INPUT_SIZE_EXCEEDED',
        { path: ['inventorySetQuantities', 'input', 'quantities'] },
      );
    }
    const errors: UserError[] = [];
    if (input.name !== 'available' && input.name !== 'on_hand') {
      errors.push({
        field: ['input', 'name'],
        message: 'The quantity name must be available or on_hand.',
        code: 'INVALID_NAME',
      });
    }
    if (!INVENTORY_REASONS.has(input.reason)) {
      errors.push({ field: ['input', 'reason'], message: 'The reason is invalid.', code: 'INVALID_REASON' });
    }
    const seen = new Set<string>();
    input.quantities.forEach((q, i) => {
      const at = (f: string): string[] => ['input', 'quantities', String(i), f];
      const pair = `${q.inventoryItemId}|${q.locationId}`;
      if (!state.items.has(q.inventoryItemId)) {
        errors.push({
          field: at('inventoryItemId'),
          message: 'The specified inventory item could not be found.',
          code: 'INVALID_INVENTORY_ITEM',
        });
        return;
      }
      if (!state.locations.has(q.locationId)) {
        errors.push({
          field: at('locationId'),
          message: 'The specified location could not be found.',
          code: 'INVALID_LOCATION',
        });
        return;
      }
      if (!state.levels.has(pair)) {
        errors.push({
          field: at('locationId'),
          message: 'The inventory item is not stocked at the location.',
          code: 'INVALID_LOCATION',
        });
        return;
      }
      if (seen.has(pair)) {
        errors.push({
          field: at('inventoryItemId'),
          message: 'The combination of inventoryItemId and locationId must be unique.',
          code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR',
        });
      }
      seen.add(pair);
      if (q.quantity > 1_000_000_000) {
        errors.push({ field: at('quantity'), message: 'The quantity is too high.', code: 'INVALID_QUANTITY_TOO_HIGH' });
      }
      if (input.name === 'on_hand' && q.quantity < 0) {
        errors.push({
          field: at('quantity'),
          message: "The quantity can't be negative.",
          code: 'INVALID_QUANTITY_NEGATIVE',
        });
      }
      // 2026-10: changeFromQuantity must be sent explicitly (null opts out of the check) — api-facts A.3.
      if (!('changeFromQuantity' in q)) {
        errors.push({
          field: at('changeFromQuantity'),
          message: 'changeFromQuantity is required; send null to skip the check.',
          code: 'COMPARE_QUANTITY_REQUIRED',
        });
      } else if (q.changeFromQuantity !== null && q.changeFromQuantity !== undefined) {
        const current = quantityOf(state.levels.get(pair)!, input.name as QuantityName);
        if (current !== q.changeFromQuantity) {
          errors.push({
            field: at('changeFromQuantity'),
            message: `The changeFromQuantity (${q.changeFromQuantity}) does not match the persisted quantity (${current}).`,
            code: 'CHANGE_FROM_QUANTITY_STALE',
          });
        }
      }
    });
    if (errors.length > 0) {
      return { inventoryAdjustmentGroup: null, userErrors: errors };
    }
    const t = now();
    const changes: unknown[] = [];
    for (const q of input.quantities) {
      const level = state.levels.get(`${q.inventoryItemId}|${q.locationId}`)!;
      const before = quantityOf(level, input.name as QuantityName);
      const delta = q.quantity - before;
      // Setting `available` moves `on_hand` by the same delta, and the other way round.
      level.quantities.available += delta;
      level.updatedAt = t;
      if (delta === 0) {
        continue;
      }
      const itemView = (): unknown => views.item(state.items.get(level.itemId)!);
      const locationView = (): unknown => views.location(state.locations.get(level.locationId)!);
      for (const name of ['available', 'on_hand'] as const) {
        changes.push({
          name,
          delta,
          quantityAfterChange: quantityOf(level, name),
          ledgerDocumentUri: null,
          item: itemView,
          location: locationView,
        });
      }
      sim.emit('inventory_levels/update', {
        inventory_item_id: Number(GidFactory.numeric(level.itemId)),
        location_id: Number(GidFactory.numeric(level.locationId)),
        available: level.quantities.available,
        updated_at: isoAt(t),
        admin_graphql_api_id: CatalogViews.levelId(level),
      });
    }
    return {
      inventoryAdjustmentGroup: {
        id: sim.ids.next('InventoryAdjustmentGroup'),
        createdAt: isoAt(t),
        reason: input.reason,
        referenceDocumentUri: input.referenceDocumentUri ?? null,
        changes: (a: { quantityNames?: string[] }) =>
          a.quantityNames ? changes.filter((c) => a.quantityNames!.includes((c as { name: string }).name)) : changes,
      },
      userErrors: [],
    };
  }

  const extension: ShopifySimExtension = {
    name: 'catalog',
    reset: () => state.reset(),
    query: {
      product: (args) => {
        const p = state.products.get(args.id as string);
        return p ? views.product(p) : null;
      },
      productByIdentifier: (args) => {
        const p = findProductByIdentifier(args.identifier as Parameters<typeof findProductByIdentifier>[0]);
        return p ? views.product(p) : null;
      },
      products: (args, ctx) =>
        connection(
          filterBy([...state.products.values()], parseSearchAlternatives(args.query as string), productSearch),
          args,
          ctx,
          (p) => views.product(p),
        ),
      productVariant: (args) => {
        const v = state.variants.get(args.id as string);
        return v ? views.variant(v) : null;
      },
      productVariants: (args, ctx) =>
        connection(
          filterBy([...state.variants.values()], parseSearchAlternatives(args.query as string), (v, key) => {
            switch (key) {
              case 'sku':
                return state.items.get(v.inventoryItemId)?.sku ?? null;
              case 'barcode':
                return v.barcode;
              case 'product_id':
                return GidFactory.numeric(v.productId);
              case 'id':
                return GidFactory.numeric(v.id);
              case 'updated_at':
                return isoAt(v.updatedAt);
              default:
                return undefined;
            }
          }),
          args,
          ctx,
          (v) => views.variant(v),
        ),
      inventoryItem: (args) => {
        const i = state.items.get(args.id as string);
        return i ? views.item(i) : null;
      },
      inventoryItems: (args, ctx) =>
        connection(
          filterBy([...state.items.values()], parseSearchAlternatives(args.query as string), (i, key) => {
            switch (key) {
              case 'sku':
                return i.sku;
              case 'id':
                return GidFactory.numeric(i.id);
              case 'updated_at':
                return isoAt(i.updatedAt);
              default:
                return undefined;
            }
          }),
          args,
          ctx,
          (i) => views.item(i),
        ),
      inventoryLevel: (args) => {
        const l = [...state.levels.values()].find((x) => CatalogViews.levelId(x) === args.id);
        return l ? views.level(l) : null;
      },
      location: (args) => {
        const l = state.locations.get(args.id as string);
        return l ? views.location(l) : null;
      },
      locations: (args, ctx) =>
        connection(
          [...state.locations.values()].filter((l) => l.isActive || args.includeInactive === true),
          args,
          ctx,
          (l) => views.location(l),
        ),
    },
    mutation: {
      productSet: (args) => productSet(args),
      productVariantsBulkUpdate: (args) => productVariantsBulkUpdate(args),
      productVariantsBulkCreate: (args) => productVariantsBulkCreate(args),
      inventoryItemUpdate: (args) => inventoryItemUpdate(args),
      inventorySetQuantities: (args) => inventorySetQuantities(args),
    },
    nodes: {
      Product: (gid) => {
        const p = state.products.get(gid);
        return p ? views.product(p) : null;
      },
      ProductVariant: (gid) => {
        const v = state.variants.get(gid);
        return v ? views.variant(v) : null;
      },
      InventoryItem: (gid) => {
        const i = state.items.get(gid);
        return i ? views.item(i) : null;
      },
      Location: (gid) => {
        const l = state.locations.get(gid);
        return l ? views.location(l) : null;
      },
      InventoryLevel: (gid) => {
        const l = [...state.levels.values()].find((x) => CatalogViews.levelId(x) === gid);
        return l ? views.level(l) : null;
      },
    },
  };
  return { extension, state, views };
}
