import { SimulatorConfigError } from 'test/simulators/common/simulator-errors';

/**
 * The vendor-neutral master data every ERP simulator serves in its own API shapes: items (with price, cost,
 * barcode and matrix parents), locations, stock per item and location, and shipments of sales orders. Every change
 * stamps a strictly increasing `lastModified`, which is what the connectors' delta reads filter on.
 */

/** @description An item as the simulated ERP holds it. */
export interface SimItem {
  internalId: string;
  sku: string;
  name: string;
  price: string;
  cost: string;
  barcode: string | null;
  /**
   * Compare-at price: served at the simulators' compare-at price level / tier (NetSuite price level
   * {@link SIM_COMPARE_AT_PRICE_LEVEL}, Cin7 Core `PriceTier{@link SIM_COMPARE_AT_PRICE_TIER}`).
   */
  compareAtPrice: string | null;
  /** Weight of one unit in Shopify's unit names; each simulator serves it in its vendor's vocabulary. */
  weight: SimWeight | null;
  /** SKU of the matrix parent, for a variant. */
  parentSku: string | null;
  options: Record<string, string>;
  active: boolean;
  lastModified: string;
}

export type SimWeightUnit = 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS';

export interface SimWeight {
  /** Decimal string. */
  value: string;
  unit: SimWeightUnit;
}

/** The NetSuite price level (internal id) the simulator serves compare-at prices at. */
export const SIM_COMPARE_AT_PRICE_LEVEL = '2';
/** The Cin7 Core price tier number (`PriceTier2`) the simulator serves compare-at prices at. */
export const SIM_COMPARE_AT_PRICE_TIER = 2;

export interface SimLocation {
  internalId: string;
  code: string;
  name: string;
}

export interface SimStock {
  sku: string;
  locationCode: string;
  onHand: number;
  committed: number;
  lastModified: string;
}

export interface SimShipment {
  internalId: string;
  orderExternalId: string;
  trackingNumbers: string[];
  carrier: string | null;
  trackingUrl: string | null;
  shippedAt: string;
  lines: Array<{ sku: string; quantity: number }>;
  lastModified: string;
}

/** @description What `POST /_control/catalog` accepts. */
export interface CatalogPatch {
  items?: Array<Partial<Omit<SimItem, 'internalId' | 'lastModified'>> & { sku: string }>;
  stock?: Array<{ sku: string; locationCode: string; onHand: number; committed?: number }>;
  shipments?: Array<Omit<SimShipment, 'internalId' | 'lastModified' | 'shippedAt'> & { shippedAt?: string }>;
  /**
   * SKUs whose items the ERP user deleted and created again: same SKU and fields, a new internal id (applied
   * before `items`). Ids cached from before are refused from then on, as by the vendor.
   */
  recreate?: string[];
}

export interface CatalogSnapshot {
  items: SimItem[];
  locations: SimLocation[];
  stock: SimStock[];
  shipments: SimShipment[];
}

const DEFAULT_ITEM_COUNT = 500;
export const DEFAULT_LOCATIONS: readonly SimLocation[] = [
  { internalId: '1', code: 'MAIN', name: 'Main warehouse' },
  { internalId: '2', code: 'EAST', name: 'East warehouse' },
  { internalId: '3', code: 'RETAIL', name: 'Retail store' },
];

export class SimulatedCatalog {
  private items = new Map<string, SimItem>();
  private stock = new Map<string, SimStock>();
  private shipments: SimShipment[] = [];
  private lastStamp = 0;
  private nextItemId = 1;
  readonly locations: readonly SimLocation[] = DEFAULT_LOCATIONS;

  constructor() {
    this.reset();
  }

  /** Back to the default catalog: SKU-0001 … SKU-0500, 100 on hand at MAIN, no shipments. */
  reset(): void {
    this.items = new Map();
    this.stock = new Map();
    this.shipments = [];
    this.nextItemId = 1;
    for (let index = 1; index <= DEFAULT_ITEM_COUNT; index++) {
      const sku = `SKU-${String(index).padStart(4, '0')}`;
      this.upsertItem({ sku, name: `Item ${index}`, price: `${10 + (index % 90)}.00`, cost: `${5 + (index % 40)}.00` });
      this.setStock({ sku, locationCode: 'MAIN', onHand: 100 });
    }
  }

  apply(patch: CatalogPatch): { items: number; stock: number; shipments: number } {
    for (const sku of patch.recreate ?? []) {
      this.recreateItem(sku);
    }
    for (const item of patch.items ?? []) {
      this.upsertItem(item);
    }
    for (const level of patch.stock ?? []) {
      this.setStock(level);
    }
    for (const shipment of patch.shipments ?? []) {
      this.shipments.push({
        ...shipment,
        internalId: String(this.shipments.length + 1),
        shippedAt: shipment.shippedAt ?? new Date().toISOString(),
        lastModified: this.stamp(),
      });
    }
    return { items: this.items.size, stock: this.stock.size, shipments: this.shipments.length };
  }

  /** How many items the catalog holds (cheap: the sandbox ERP reports it on every state poll). */
  itemCount(): number {
    return this.items.size;
  }

  item(sku: string): SimItem | undefined {
    return this.items.get(sku);
  }

  itemById(internalId: string): SimItem | undefined {
    return [...this.items.values()].find((item) => item.internalId === internalId);
  }

  location(code: string): SimLocation | undefined {
    return this.locations.find((location) => location.code === code);
  }

  /** Items, stock rows and shipments sorted by (lastModified, internalId): the order delta reads page in. */
  listItems(): SimItem[] {
    return [...this.items.values()].sort(byModified);
  }

  listStock(): SimStock[] {
    return [...this.stock.values()].sort(
      (a, b) => a.lastModified.localeCompare(b.lastModified) || a.sku.localeCompare(b.sku),
    );
  }

  /** The ERP user edits a shipment (new tracking number, another carrier): its modification time moves on. */
  updateShipment(
    orderExternalId: string,
    patch: Partial<Pick<SimShipment, 'trackingNumbers' | 'carrier' | 'trackingUrl'>>,
  ): SimShipment | undefined {
    const shipment = this.shipments.find((s) => s.orderExternalId === orderExternalId);
    if (shipment !== undefined) {
      Object.assign(shipment, patch, { lastModified: this.stamp() });
    }
    return shipment;
  }

  listShipments(): SimShipment[] {
    return [...this.shipments].sort(byModified);
  }

  snapshot(): CatalogSnapshot {
    return structuredClone({
      items: this.listItems(),
      locations: [...this.locations],
      stock: this.listStock(),
      shipments: this.listShipments(),
    });
  }

  /**
   * The item of `sku` deleted and created again, as an ERP user does to fix an item: same fields and stock, a new
   * internal id (the old one is unknown from then on) and a new modification stamp. Variants of a re-created parent
   * keep pointing at it by SKU.
   */
  recreateItem(sku: string): SimItem {
    const existing = this.items.get(sku);
    if (existing === undefined) {
      throw new SimulatorConfigError(`cannot re-create unknown SKU ${sku}`);
    }
    const recreated: SimItem = { ...existing, internalId: this.newItemId(), lastModified: this.stamp() };
    this.items.set(sku, recreated);
    return recreated;
  }

  private newItemId(): string {
    // Ids are never reused, so an id cached before a re-creation is refused rather than naming another item.
    return String(1000 + this.nextItemId++);
  }

  private upsertItem(patch: NonNullable<CatalogPatch['items']>[number]): void {
    const existing = this.items.get(patch.sku);
    const base: SimItem = existing ?? {
      internalId: this.newItemId(),
      sku: patch.sku,
      name: patch.sku,
      price: '0.00',
      cost: '0.00',
      barcode: null,
      compareAtPrice: null,
      weight: null,
      parentSku: null,
      options: {},
      active: true,
      lastModified: '',
    };
    this.items.set(patch.sku, { ...base, ...stripUndefined(patch), lastModified: this.stamp() });
  }

  private setStock(level: { sku: string; locationCode: string; onHand: number; committed?: number }): void {
    if (!this.items.has(level.sku)) {
      throw new SimulatorConfigError(`stock for unknown SKU ${level.sku}`);
    }
    if (this.location(level.locationCode) === undefined) {
      throw new SimulatorConfigError(`unknown location ${level.locationCode}`);
    }
    const key = `${level.sku}@${level.locationCode}`;
    this.stock.set(key, {
      sku: level.sku,
      locationCode: level.locationCode,
      onHand: level.onHand,
      committed: level.committed ?? this.stock.get(key)?.committed ?? 0,
      lastModified: this.stamp(),
    });
  }

  /** A strictly increasing ISO timestamp (ms precision), so that "modified at or after" never misses a change. */
  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }
}

/** Validates the body of `POST /_control/catalog`; throws SimulatorConfigError (answered 400) when malformed. */
export function parseCatalogPatch(body: Record<string, unknown>): CatalogPatch {
  const unknownKeys = Object.keys(body).filter((key) => !['items', 'stock', 'shipments', 'recreate'].includes(key));
  if (unknownKeys.length > 0) {
    throw new SimulatorConfigError(`unknown catalog keys: ${unknownKeys.join(', ')}`);
  }
  const recreate = body.recreate;
  if (recreate !== undefined && (!Array.isArray(recreate) || recreate.some((sku) => typeof sku !== 'string'))) {
    throw new SimulatorConfigError('recreate must be an array of SKUs');
  }
  for (const key of ['items', 'stock', 'shipments'] as const) {
    const list = body[key];
    if (list !== undefined && !Array.isArray(list)) {
      throw new SimulatorConfigError(`${key} must be an array`);
    }
    for (const entry of (list ?? []) as unknown[]) {
      if (typeof entry !== 'object' || entry === null) {
        throw new SimulatorConfigError(`${key} entries must be objects`);
      }
      const record = entry as Record<string, unknown>;
      if (key !== 'shipments' && (typeof record.sku !== 'string' || record.sku === '')) {
        throw new SimulatorConfigError(`${key} entries need a sku`);
      }
      if (key === 'items' && record.weight !== undefined && record.weight !== null && !isSimWeight(record.weight)) {
        throw new SimulatorConfigError(
          'item weight must be { value: decimal string, unit: GRAMS|KILOGRAMS|OUNCES|POUNDS }',
        );
      }
      if (key === 'stock' && (!Number.isInteger(record.onHand) || typeof record.locationCode !== 'string')) {
        throw new SimulatorConfigError('stock entries need locationCode and an integer onHand');
      }
      if (key === 'shipments' && (typeof record.orderExternalId !== 'string' || !Array.isArray(record.lines))) {
        throw new SimulatorConfigError('shipments need orderExternalId and lines');
      }
    }
  }
  return body;
}

function isSimWeight(value: unknown): value is SimWeight {
  const weight = value as Partial<SimWeight>;
  return (
    typeof weight === 'object' &&
    typeof weight.value === 'string' &&
    /^\d+(\.\d+)?$/.test(weight.value) &&
    ['GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS'].includes(String(weight.unit))
  );
}

function byModified<T extends { lastModified: string; internalId: string }>(a: T, b: T): number {
  return a.lastModified.localeCompare(b.lastModified) || Number(a.internalId) - Number(b.internalId);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
