import {
  formatDecimal,
  toInventoryLevel,
  toItemChanges,
  toShipment,
} from 'src/modules/erp/connectors/business-central/business-central.delta-mappers';
import { parseErpItemId } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type { BcItem } from 'src/modules/erp/connectors/business-central/business-central.types';

const ITEM_A = '11111111-1111-4111-8111-111111111111';
const ITEM_B = '22222222-2222-4222-8222-222222222222';
const VARIANT_B = '33333333-3333-4333-8333-333333333333';

describe(toItemChanges.name, () => {
  const item: BcItem = {
    id: ITEM_B,
    number: 'B',
    displayName: 'Beta',
    blocked: false,
    gtin: '0123456789012',
    unitPrice: 12.5,
    unitCost: 4,
    lastModifiedDateTime: '2026-10-01T00:00:00Z',
    itemVariants: [{ id: VARIANT_B, itemId: ITEM_B, code: 'RED', description: 'Red' }],
  };

  it('maps the item and its variants, which share the parent price and cost', () => {
    expect(toItemChanges(item, '-')).toEqual([
      {
        erpItemId: ITEM_B,
        sku: 'B',
        name: 'Beta',
        price: '12.50',
        cost: '4.00',
        barcode: '0123456789012',
        active: true,
        lastModified: '2026-10-01T00:00:00Z',
      },
      {
        erpItemId: `${ITEM_B}:${VARIANT_B}`,
        sku: 'B-RED',
        name: 'Beta Red',
        price: '12.50',
        cost: '4.00',
        parentErpItemId: ITEM_B,
        options: { Variant: 'Red' },
        active: true,
        lastModified: '2026-10-01T00:00:00Z',
      },
    ]);
    expect(parseErpItemId(`${ITEM_B}:${VARIANT_B}`)).toEqual({ itemId: ITEM_B, variantId: VARIANT_B });
    expect(parseErpItemId(ITEM_A)).toEqual({ itemId: ITEM_A });
  });

  it('reports a blocked item as inactive and its stock at the configured location', () => {
    expect(toItemChanges({ ...item, blocked: true, itemVariants: [] }, '-')[0].active).toBe(false);
    expect(toInventoryLevel({ ...item, inventory: 7 }, 'ALL')).toEqual({
      erpItemId: ITEM_B,
      sku: 'B',
      erpLocationId: 'ALL',
      onHand: 7,
      available: 7,
    });
  });
});

describe(toShipment.name, () => {
  const fields = { trackingNumberField: 'packageTrackingNo', carrierField: 'shippingAgentCode' };

  it('reads tracking numbers and carrier from extension fields and item lines', () => {
    expect(
      toShipment(
        {
          id: 's1',
          externalDocumentNumber: '820982911946154508',
          postingDate: '2026-10-07',
          shipmentDate: '0001-01-01',
          lastModifiedDateTime: '2026-10-07T10:00:00Z',
          packageTrackingNo: '1Z1, 1Z2',
          shippingAgentCode: 'UPS',
          salesShipmentLines: [
            { id: 'l1', lineType: 'Item', lineObjectNumber: 'A-1', quantity: 2 },
            { id: 'l2', lineType: 'Comment', description: 'x' },
            { id: 'l3', lineType: 'Item', lineObjectNumber: 'A-2', quantity: 0 },
          ],
        },
        fields,
      ),
    ).toEqual({
      erpShipmentId: 's1',
      orderExternalId: '820982911946154508',
      trackingNumbers: ['1Z1', '1Z2'],
      carrier: 'UPS',
      shippedAt: '2026-10-07T00:00:00.000Z',
      lines: [{ sku: 'A-1', quantity: 2 }],
      lastModified: '2026-10-07T10:00:00Z',
    });
  });

  it('gives no tracking on standard v2.0 records and skips shipments of other orders', () => {
    const standard = { id: 's2', externalDocumentNumber: '9', lastModifiedDateTime: '2026-10-07T10:00:00Z' };
    expect(toShipment(standard, fields)).toMatchObject({ trackingNumbers: [], shippedAt: '2026-10-07T10:00:00Z' });
    expect(toShipment({ ...standard, externalDocumentNumber: '' }, fields)).toBeUndefined();
  });
});

describe(formatDecimal.name, () => {
  it('formats decimals with 2 to 5 places', () => {
    expect(formatDecimal(12.5)).toBe('12.50');
    expect(formatDecimal(3.333333)).toBe('3.33333');
    expect(formatDecimal(undefined)).toBeUndefined();
  });
});
