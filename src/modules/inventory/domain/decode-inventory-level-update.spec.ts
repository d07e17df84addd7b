import { ErrorKind } from 'src/common/errors/app-error';
import { decodeInventoryLevelUpdate } from 'src/modules/inventory/domain/decode-inventory-level-update';
import { InventoryEventError, InventoryEventErrorCode } from 'src/modules/inventory/domain/inventory-event.errors';

/** Shopify's sample `inventory_levels/update` body, as written (its item id is above 2^53). */
const SAMPLE = `{
  "inventory_item_id": 271878346596884015,
  "location_id": 24826418,
  "available": 6,
  "updated_at": "2021-12-31T19:00:00-05:00",
  "admin_graphql_api_id": "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015"
}`;

function body(change: (level: Record<string, unknown>) => void): Buffer {
  const level = JSON.parse(SAMPLE) as Record<string, unknown>;
  level.inventory_item_id = 808950810;
  change(level);
  return Buffer.from(JSON.stringify(level));
}

function decodeError(raw: Buffer): InventoryEventError {
  try {
    decodeInventoryLevelUpdate(raw);
  } catch (error) {
    if (error instanceof InventoryEventError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected decodeInventoryLevelUpdate to throw');
}

describe(decodeInventoryLevelUpdate.name, () => {
  it("decodes Shopify's sample with the ids exactly as written, above 2^53 too", () => {
    expect(String(JSON.parse(SAMPLE).inventory_item_id)).not.toBe('271878346596884015');

    expect(decodeInventoryLevelUpdate(Buffer.from(SAMPLE))).toEqual({
      inventory_item_id: '271878346596884015',
      location_id: '24826418',
      available: 6,
      updated_at: '2021-12-31T19:00:00-05:00',
    });
  });

  it.each([
    ['null (an untracked item)', null],
    ['negative (an oversold level)', -3],
    ['zero', 0],
  ])('takes an available quantity that is %s', (_name, available) => {
    expect(decodeInventoryLevelUpdate(body((l) => (l.available = available))).available).toBe(available);
  });

  it('takes ids sent as strings of digits, and drops fields it does not know', () => {
    const level = decodeInventoryLevelUpdate(
      body((l) => {
        l.inventory_item_id = '808950810';
        l.location_id = '905684977';
        l.brand_new_field = { nested: true };
      }),
    );
    expect(level).toEqual({
      inventory_item_id: '808950810',
      location_id: '905684977',
      available: 6,
      updated_at: '2021-12-31T19:00:00-05:00',
    });
  });

  it.each([
    [
      'no inventory_item_id',
      (l: Record<string, unknown>) => delete l.inventory_item_id,
      'inventory_item_id must be an integer id, got nothing',
    ],
    [
      'a GID for inventory_item_id',
      (l: Record<string, unknown>) => (l.inventory_item_id = 'gid://shopify/InventoryItem/1'),
      'inventory_item_id must be an integer id',
    ],
    [
      'a fractional location_id',
      (l: Record<string, unknown>) => (l.location_id = 1.5),
      'location_id must be an integer id, got 1.5',
    ],
    [
      'a negative location_id',
      (l: Record<string, unknown>) => (l.location_id = -2),
      'location_id must be an integer id',
    ],
    [
      'no available',
      (l: Record<string, unknown>) => delete l.available,
      'available must be an integer or null, got nothing',
    ],
    [
      'available as a string',
      (l: Record<string, unknown>) => (l.available = '6'),
      'available must be an integer or null, got "6"',
    ],
    [
      'a fractional available',
      (l: Record<string, unknown>) => (l.available = 2.5),
      'available must be an integer or null',
    ],
    ['no updated_at', (l: Record<string, unknown>) => delete l.updated_at, 'updated_at must be an ISO 8601 timestamp'],
    [
      'updated_at without an offset',
      (l: Record<string, unknown>) => (l.updated_at = '2021-12-31T19:00:00'),
      'updated_at must be an ISO 8601 timestamp',
    ],
  ])('refuses a body with %s, naming the field', (_name, change, message) => {
    const error = decodeError(body(change));
    expect(error.code).toBe(InventoryEventErrorCode.InvalidPayload);
    expect(error.message).toContain(message);
  });

  it.each([
    ['not JSON', Buffer.from('{"inventory_item_id": ')],
    ['not UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
    ['a JSON array', Buffer.from('[]')],
    ['JSON null', Buffer.from('null')],
  ])('refuses a body that is %s', (_name, raw) => {
    expect(decodeError(raw).code).toBe(InventoryEventErrorCode.InvalidPayload);
  });

  it('fails permanently, so the message is dead-lettered at once with the reason', () => {
    expect(decodeError(Buffer.from('[]')).kind).toBe(ErrorKind.Permanent);
  });
});
