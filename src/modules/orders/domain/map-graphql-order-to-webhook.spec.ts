import { graphql } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECONCILE_ORDER, type GqlOrder } from 'src/modules/orders/application/order-reconciliation.shopify-graphql';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { decodeRefundPayload } from 'src/modules/orders/domain/decode-refund-payload';
import {
  legacyId,
  mapGraphqlOrderToWebhook,
  mapGraphqlRefundToWebhook,
  restDecimal,
} from 'src/modules/orders/domain/map-graphql-order-to-webhook';
import { mapShopifyOrderToErp } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { mapShopifyRefundToErp } from 'src/modules/orders/domain/map-shopify-refund-to-erp';
import { ordersExtension } from 'test/simulators/shopify/orders-extension';
import { shopifySchema } from 'test/simulators/shopify/shopify-schema';
import {
  GidFactory,
  IdempotencyStore,
  SimLedger,
  systemClock,
  type SimContext,
} from 'test/simulators/shopify/sim-context';

const FIXTURES = join(__dirname, '../../../../test/fixtures/shopify');
/** GraphQL writes instants in UTC, webhooks in the shop's offset: compare instants, not their spelling. */
function instants(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v) ? new Date(v).toISOString() : v,
  );
}

const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');

function simulator() {
  const context: SimContext = {
    clock: systemClock,
    ids: new GidFactory(),
    idempotency: new IdempotencyStore(),
    ledger: new SimLedger(),
    origin: () => 'http://sim',
    emit: () => undefined,
  };
  return ordersExtension(context);
}

/** Runs the real reconciliation document against the simulator, validated by Shopify's own schema. */
async function readOrder(sim: ReturnType<typeof simulator>, gid: string): Promise<GqlOrder> {
  const result = await graphql({
    schema: shopifySchema(),
    source: RECONCILE_ORDER.source,
    variableValues: { id: gid },
    rootValue: { order: sim.extension.query!.order },
    contextValue: { sim: {}, bulk: false },
  });
  expect(result.errors).toBeUndefined();
  const order = (result.data as { order: GqlOrder | null }).order;
  if (order === null) {
    throw new Error(`no order ${gid}`);
  }
  return order;
}

describe(mapGraphqlOrderToWebhook.name, () => {
  it.each([
    'orders-create',
    'orders-create-guest',
    'orders-create-us-multi-discount',
    'orders-cancelled',
    'orders-updated-partial-refund',
  ])('%s: the ERP gets the same order from the reconciliation as from the webhook', async (name) => {
    const text = fixture(name);
    const sim = simulator();
    const seeded = sim.state.seedOrder(JSON.parse(text) as Record<string, unknown>);
    const mapped = mapGraphqlOrderToWebhook(await readOrder(sim, seeded.gid));
    const viaReconciliation = mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(JSON.stringify(mapped))));
    const viaWebhook = mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(text)));
    // A fixture without `*_set` amounts has no currencies on the webhook side; GraphQL always returns both.
    const comparable = (drafts: typeof viaWebhook): typeof viaWebhook =>
      viaWebhook.salesOrder.currencies === undefined
        ? { ...drafts, salesOrder: { ...drafts.salesOrder, currencies: undefined } }
        : drafts;
    expect(instants(comparable(viaReconciliation))).toEqual(instants(comparable(viaWebhook)));
  });

  it.each([
    ['fulfilled', 'fulfilled'],
    ['partial', 'partial'],
    [null, null],
  ])('carries fulfillment_status %s as the webhook does (the fulfilled trigger reads it)', async (given, expected) => {
    const sim = simulator();
    const payload = JSON.parse(fixture('orders-create')) as Record<string, unknown>;
    const seeded = sim.state.seedOrder({ ...payload, fulfillment_status: given });
    expect(mapGraphqlOrderToWebhook(await readOrder(sim, seeded.gid)).fulfillment_status).toBe(expected);
  });

  it('carries the presentment currency and amounts of a Markets order from GraphQL to the draft', async () => {
    const sim = simulator();
    const seeded = sim.state.seedOrder(JSON.parse(fixture('orders-create')) as Record<string, unknown>);
    const order = await readOrder(sim, seeded.gid);
    // Shopify answers every MoneyBag with both sides; present this order in GBP at twice the shop amounts.
    const presentInGbp = (value: unknown): unknown => {
      if (Array.isArray(value)) {
        return value.map(presentInGbp);
      }
      if (typeof value !== 'object' || value === null) {
        return value;
      }
      const entries = Object.entries(value).map(([key, inner]) => {
        if (key === 'presentmentMoney') {
          const money = inner as { amount: string };
          return [key, { amount: (Number(money.amount) * 2).toFixed(2), currencyCode: 'GBP' }];
        }
        return [key, presentInGbp(inner)];
      });
      return Object.fromEntries(entries);
    };
    const markets = { ...(presentInGbp(order) as GqlOrder), presentmentCurrencyCode: 'GBP' };
    const webhook = JSON.parse(JSON.stringify(mapGraphqlOrderToWebhook(markets))) as unknown;
    const { salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(webhook));
    expect(salesOrder.currency).toBe('GBP');
    expect(salesOrder.total).toBe('188.00');
    expect(salesOrder.currencies).toEqual({
      shopCurrency: 'EUR',
      presentmentCurrency: 'GBP',
      shopTotal: '94.00',
      presentmentTotal: '188.00',
      exchangeRate: '0.5',
    });
    expect(salesOrder.reconciliation?.outcome).toBe('exact');
  });

  it('keeps ids above 2^53 exact and writes amounts as REST does', async () => {
    const payload = JSON.parse(fixture('orders-create')) as Record<string, unknown>;
    payload.admin_graphql_api_id = 'gid://shopify/Order/820982911946154508';
    const sim = simulator();
    sim.state.seedOrder(payload);
    const mapped = mapGraphqlOrderToWebhook(await readOrder(sim, 'gid://shopify/Order/820982911946154508'));
    expect(mapped.id).toBe('820982911946154508');
    expect(mapped.total_price).toBe('94.00');
    expect((mapped.line_items as Array<Record<string, unknown>>)[0]?.price).toBe('44.50');
    expect(decodeOrderPayload(mapped).id).toBe('820982911946154508');
  });
});

describe(mapGraphqlRefundToWebhook.name, () => {
  it('the ERP gets the same credit memo from the reconciliation as from the refunds/create webhook', async () => {
    const refundText = fixture('refunds-create');
    const order = JSON.parse(fixture('orders-create')) as Record<string, unknown>;
    order.admin_graphql_api_id = 'gid://shopify/Order/820982911946154508';
    order.currency = 'USD';
    order.line_items = [
      {
        id: 487817671,
        sku: 'TRAIL-RUN-42',
        title: 'Trail Runner',
        name: 'Trail Runner - 42 / Blue',
        quantity: 2,
        price: '99.00',
      },
      { id: 487817674, sku: 'SOCK-WOOL-M', title: 'Wool Socks', name: 'Wool Socks', quantity: 3, price: '12.00' },
    ];
    const sim = simulator();
    const seeded = sim.state.seedOrder(order);
    sim.state.seedRefund(seeded.gid, JSON.parse(refundText) as Record<string, unknown>);
    const gql = await readOrder(sim, seeded.gid);
    const refund = gql.refunds[0];
    if (refund === undefined) {
      throw new Error('refund missing');
    }
    const text = JSON.stringify(mapGraphqlRefundToWebhook(gql, refund));
    const viaReconciliation = decodeRefundPayload(JSON.parse(text), text);
    const viaWebhook = decodeRefundPayload(JSON.parse(refundText), refundText);
    const context = { reference: '#1001', customerExternalId: '42' };
    expect(viaReconciliation.order_id).toBe('820982911946154508');
    expect(instants(mapShopifyRefundToErp(viaReconciliation, context))).toEqual(
      instants(mapShopifyRefundToErp(viaWebhook, context)),
    );
  });
});

describe('helpers', () => {
  it.each([
    ['5', '5.00'],
    ['44.5', '44.50'],
    ['1.125', '1.125'],
    ['-2.5', '-2.50'],
    ['0.0', '0.00'],
  ])('restDecimal(%s) = %s', (input, expected) => {
    expect(restDecimal(input)).toBe(expected);
  });

  it('refuses what is not a decimal or a GID', () => {
    expect(() => restDecimal('1e3')).toThrow('not a decimal');
    expect(() => legacyId('820982911946154508')).toThrow('not a Shopify GID');
  });
});
