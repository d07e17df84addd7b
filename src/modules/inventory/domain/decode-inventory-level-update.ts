import { exactIntegerField } from 'src/common/json/exact-integer-field';
import { InventoryEventError, InventoryEventErrorCode } from 'src/modules/inventory/domain/inventory-event.errors';

/**
 * @description The fields of Shopify's `inventory_levels/update` webhook body that the echo / drift check reads,
 * validated, with both ids as their exact decimal strings.
 * @example { inventory_item_id: '271878346596884015', location_id: '24826418', available: 6, updated_at: '2026-12-31T19:00:00-05:00' }
 */
export interface InventoryLevelUpdatePayload {
  inventory_item_id: string;
  location_id: string;
  /** Null when Shopify does not track the item's quantity; negative when the level is oversold. */
  available: number | null;
  updated_at: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const DIGITS = /^\d+$/;
// An instant needs its offset: a local time without one would compare differently per server time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Validates an `inventory_levels/update` message body. Unknown extra fields are allowed and dropped: Shopify adds
 * fields over time.
 *
 * @throws InventoryEventError(InvalidPayload) naming the first offending field.
 */
export function decodeInventoryLevelUpdate(body: Buffer): InventoryLevelUpdatePayload {
  let text: string;
  let parsed: unknown;
  try {
    text = UTF8.decode(body);
    parsed = JSON.parse(text);
  } catch {
    throw new InventoryEventError(InventoryEventErrorCode.InvalidPayload, 'inventory_levels/update body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail('body', 'a JSON object', parsed);
  }
  const level = parsed as Record<string, unknown>;
  return {
    inventory_item_id: exactId(level, text, 'inventory_item_id'),
    location_id: exactId(level, text, 'location_id'),
    available: available(level.available),
    updated_at: instant(level.updated_at, 'updated_at'),
  };
}

/**
 * A Shopify id, exactly: JSON.parse rounds integers above 2^53 (Shopify's own sample has an inventory item id of
 * 271878346596884015), so a numeric id is read from the text as written.
 */
function exactId(level: Record<string, unknown>, text: string, key: string): string {
  const value = level[key];
  if (typeof value === 'string' && DIGITS.test(value)) {
    return value;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    const written = exactIntegerField(text, key);
    // The digits as written, when they are this number (rounded alike); a number written otherwise (1e3) as parsed.
    if (written !== undefined && Number(written) === value) {
      return written;
    }
    if (Number.isSafeInteger(value)) {
      return String(value);
    }
  }
  return fail(key, 'an integer id', value);
}

function available(value: unknown): number | null {
  if (value === null || (typeof value === 'number' && Number.isSafeInteger(value))) {
    return value;
  }
  return fail('available', 'an integer or null', value);
}

function instant(value: unknown, key: string): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    fail(key, 'an ISO 8601 timestamp with a time zone offset', value);
  }
  return value;
}

function fail(path: string, expected: string, actual: unknown): never {
  throw new InventoryEventError(
    InventoryEventErrorCode.InvalidPayload,
    `inventory_levels/update ${path} must be ${expected}, got ${describe(actual)}`,
  );
}

function describe(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
