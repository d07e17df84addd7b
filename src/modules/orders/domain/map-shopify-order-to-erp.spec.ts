import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorKind } from 'src/common/errors/app-error';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { mapShopifyOrderToErp, type ErpOrderDrafts } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { sumMoney } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { buildShopifyOrder, draftImbalances } from 'test/factories/shopify-order.factory';

const FIXTURES = join(process.cwd(), 'test/fixtures/shopify');

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** Each case: a recorded-shape payload and the drafts it must map to, worked out by hand. */
const CASES: Array<[name: string, fixture: string]> = [
  ['the api-facts orders/create sample (EUR, taxes included, one discount)', 'orders-create'],
  ['a US order with several discounts, two taxes per line and taxes not included', 'orders-create-us-multi-discount'],
  ['a cancelled order without current_* fields', 'orders-cancelled'],
  ['a guest checkout with a removed shipping line', 'orders-create-guest'],
  ['a partial refund, with a removed SKU-less line', 'orders-updated-partial-refund'],
];

function mapFixture(fixture: string): ErpOrderDrafts {
  return mapShopifyOrderToErp(decodeOrderPayload(readJson(`${fixture}.json`)));
}

function mapError(run: () => unknown): OrderError {
  try {
    run();
  } catch (error) {
    if (error instanceof OrderError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an OrderError');
}

describe(mapShopifyOrderToErp.name, () => {
  it.each(CASES)('maps %s', (_name, fixture) => {
    expect(mapFixture(fixture)).toStrictEqual(readJson(`${fixture}.expected.json`));
  });

  it.each(CASES)('keeps the parts equal to the Shopify totals: %s', (_name, fixture) => {
    expect(draftImbalances(mapFixture(fixture).salesOrder)).toEqual([]);
  });

  it('keeps the draft total equal to Shopify total_price, and its discounts to total_discounts', () => {
    for (const [, fixture] of CASES) {
      const payload = readJson(`${fixture}.json`) as Record<string, string>;
      const { salesOrder } = mapFixture(fixture);
      expect(salesOrder.total).toBe(payload.current_total_price ?? payload.total_price);
      expect(salesOrder.discountTotal).toBe(payload.current_total_discounts ?? payload.total_discounts);
    }
  });

  it('refuses a line that still has quantity but no SKU, naming the line', () => {
    for (const sku of [null, '', '   ', undefined]) {
      const order = decodeOrderPayload(readJson('orders-create.json'));
      order.line_items[0].sku = sku;
      const error = mapError(() => mapShopifyOrderToErp(order));
      expect(error.code).toBe(OrderErrorCode.MissingSku);
      expect(error.kind).toBe(ErrorKind.Permanent);
      expect(error.message).toBe(
        'line item 14851429007434 ("T-Shirt") is a product variant without a SKU; the ERP resolves product items by ' +
          'SKU (gift cards, custom lines and tips go to their configured items)',
      );
    }
  });

  it('keys a guest without any email on the order itself', () => {
    const order = decodeOrderPayload(
      buildShopifyOrder({ customer: null, email: null, contact_email: ' ' }, { seed: 7 }),
    );
    const { customer, salesOrder } = mapShopifyOrderToErp(order);
    expect(customer.externalId).toBe(`guest:${String(order.id)}`);
    expect(salesOrder.customerExternalId).toBe(customer.externalId);
    expect(salesOrder.email).toBeUndefined();
  });

  it('falls back to contact_email and lowercases the guest key', () => {
    const order = decodeOrderPayload(
      buildShopifyOrder({ customer: null, email: null, contact_email: 'Mixed.Case@Example.com' }, { seed: 8 }),
    );
    const { customer, salesOrder } = mapShopifyOrderToErp(order);
    expect(customer.externalId).toBe('email:mixed.case@example.com');
    expect(salesOrder.email).toBe('Mixed.Case@Example.com');
  });

  it('uses the exact id from the gid for orders whose JSON id lost precision', () => {
    const payload = JSON.parse(
      JSON.stringify(buildShopifyOrder({}, { seed: 9 })).replace(
        /"id":5000000009000,"admin_graphql_api_id":"gid:\/\/shopify\/Order\/5000000009000"/,
        '"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"',
      ),
    );
    const { salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(payload));
    expect(salesOrder.externalId).toBe('820982911946154508');
  });

  it('sums 250 lines exactly and does not touch its input', () => {
    const order = decodeOrderPayload(buildShopifyOrder({}, { seed: 250, lineCount: 250 }));
    const before = JSON.stringify(order);
    const { salesOrder } = mapShopifyOrderToErp(order);
    expect(JSON.stringify(order)).toBe(before);
    expect(salesOrder.lines).toHaveLength(250);
    expect(new Set(salesOrder.lines.map((line) => line.sku)).size).toBe(250);
    expect(draftImbalances(salesOrder)).toEqual([]);
    expect(sumMoney(salesOrder.lines.map((line) => line.lineTotal))).toBe(salesOrder.subtotal);
  });

  it('gives the same drafts for the same payload, so a redelivery upserts identical data', () => {
    const payload = buildShopifyOrder({}, { seed: 11, lineCount: 4 });
    expect(JSON.stringify(mapShopifyOrderToErp(decodeOrderPayload(payload)))).toBe(
      JSON.stringify(mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(JSON.stringify(payload))))),
    );
  });

  describe('B2B orders', () => {
    function b2bPayload(extra: Record<string, unknown> = {}): unknown {
      const base = buildShopifyOrder({}, { seed: 21, lineCount: 2 });
      return {
        ...base,
        billing_address: { ...base.billing_address, company: ' Acme Retail Ltd ' },
        po_number: ' PO-44781 ',
        company: { id: 4501, location_id: '820982911946154508' },
        payment_terms: {
          payment_terms_name: 'Net 30',
          payment_terms_type: 'NET',
          due_in_days: 30,
          payment_schedules: [
            { amount: '10.00', due_at: '2026-10-01T00:00:00Z', completed_at: '2026-10-02T00:00:00Z' },
            { amount: '90.00', issued_at: '2026-10-05T00:00:00Z', due_at: '2026-11-04T00:00:00Z', completed_at: null },
          ],
        },
        ...extra,
      };
    }

    it('makes the company location the customer, under its company, keyed by our own key and without e-mail', () => {
      const { customer, salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(b2bPayload()));
      expect(customer).toMatchObject({
        externalId: 'company-location-820982911946154508',
        company: 'Acme Retail Ltd',
        parentCompany: { externalId: 'company-4501', name: 'Acme Retail Ltd' },
      });
      expect(customer).not.toHaveProperty('email');
      expect(customer).not.toHaveProperty('firstName');
      expect(salesOrder.customerExternalId).toBe('company-location-820982911946154508');
      // The buyer's e-mail stays on the order.
      expect(salesOrder.email).toBeDefined();
    });

    it('carries the PO number and the payment terms, due when the first unpaid installment is', () => {
      const { salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(b2bPayload()));
      expect(salesOrder.purchaseOrderNumber).toBe('PO-44781');
      expect(salesOrder.paymentTerms).toStrictEqual({
        name: 'Net 30',
        type: 'NET',
        dueInDays: 30,
        dueAt: '2026-11-04T00:00:00Z',
      });
      expect(draftImbalances(salesOrder)).toEqual([]);
    });

    it('names the company by its id when no address names it', () => {
      const base = b2bPayload() as { billing_address: object; shipping_address: object };
      const { customer } = mapShopifyOrderToErp(
        decodeOrderPayload({
          ...base,
          billing_address: { ...base.billing_address, company: null },
          shipping_address: { ...base.shipping_address, company: '' },
        }),
      );
      expect(customer.company).toBe('Shopify company 4501');
      expect(customer.parentCompany?.name).toBe('Shopify company 4501');
    });

    it('leaves a consumer order as it was: no company, no PO number, no terms', () => {
      const { customer, salesOrder } = mapShopifyOrderToErp(
        decodeOrderPayload(b2bPayload({ company: null, payment_terms: null, po_number: '' })),
      );
      expect(customer).not.toHaveProperty('parentCompany');
      expect(customer.externalId).not.toMatch(/^company/);
      expect(salesOrder).not.toHaveProperty('purchaseOrderNumber');
      expect(salesOrder).not.toHaveProperty('paymentTerms');
    });

    it('refuses a company without its location id', () => {
      const error = mapError(() => decodeOrderPayload(b2bPayload({ company: { id: 4501 } })));
      expect(error.code).toBe(OrderErrorCode.InvalidPayload);
      expect(error.message).toContain('company.location_id');
    });

    it('refuses payment terms without a name', () => {
      const error = mapError(() => decodeOrderPayload(b2bPayload({ payment_terms: { due_in_days: 30 } })));
      expect(error.message).toContain('payment_terms.payment_terms_name');
    });
  });
});
