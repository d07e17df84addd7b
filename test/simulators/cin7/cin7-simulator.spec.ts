import type { Cin7SaleListEntry } from 'src/modules/erp/connectors/cin7/cin7.types';
import { CIN7_SIM_ACCOUNT, CIN7_SIM_API_PATH, Cin7SimulatedVendor } from 'test/simulators/cin7/cin7-simulator';
import type { SimContext, SimResponse } from 'test/simulators/common/erp-simulator';
import { SimulatedCatalog } from 'test/simulators/common/simulated-catalog';

/** The Cin7 simulation's sale lookups by reference, which the connector relies on to avoid duplicates. */

const credentials = { accountId: 'acct', applicationKey: 'key' };

function setup(): { call(method: string, path: string, body?: unknown): SimResponse; catalog: SimulatedCatalog } {
  const vendor = new Cin7SimulatedVendor({ credentials });
  const catalog = new SimulatedCatalog();
  const context: SimContext = { catalog, commit: () => undefined };
  const call = (method: string, path: string, body?: unknown): SimResponse => {
    const response = vendor.handle(
      {
        method,
        url: new URL(`http://sim${CIN7_SIM_API_PATH}/${path}`),
        headers: {},
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
        origin: 'http://sim',
      },
      context,
    );
    if (response instanceof Promise) {
      throw new Error('the Cin7 simulation answers synchronously');
    }
    return response;
  };
  return { call, catalog };
}

function createCustomer(call: ReturnType<typeof setup>['call']): string {
  const answer = call('POST', 'customer', {
    Name: 'Ana Diaz [c1]',
    Status: 'Active',
    Currency: 'USD',
    PaymentTerm: CIN7_SIM_ACCOUNT.paymentTerm,
    AccountReceivable: CIN7_SIM_ACCOUNT.accountReceivable,
    RevenueAccount: CIN7_SIM_ACCOUNT.revenueAccount,
    TaxRule: CIN7_SIM_ACCOUNT.taxRule,
  });
  return (answer.body as { CustomerList: Array<{ ID: string }> }).CustomerList[0].ID;
}

function createSale(call: ReturnType<typeof setup>['call'], customerId: string, externalId: string): string {
  const answer = call('POST', 'sale', { CustomerID: customerId, ExternalID: externalId, SkipQuote: true });
  expect(answer.status).toBe(200);
  return (answer.body as { ID: string }).ID;
}

function listByExternalId(call: ReturnType<typeof setup>['call'], externalId: string): Cin7SaleListEntry[] {
  const answer = call('GET', `saleList?ExternalID=${encodeURIComponent(externalId)}`);
  expect(answer.status).toBe(200);
  return (answer.body as { SaleList: Cin7SaleListEntry[] }).SaleList;
}

describe('Cin7 simulation: sales by ExternalID', () => {
  it('finds only the sales carrying the reference, duplicates included, and forgets deleted ones', () => {
    const { call } = setup();
    const customerId = createCustomer(call);
    const first = createSale(call, customerId, 'order-1');
    createSale(call, customerId, 'order-2');
    const duplicate = createSale(call, customerId, 'order-1');

    expect(listByExternalId(call, 'order-1').map((entry) => entry.SaleID)).toEqual([first, duplicate]);
    expect(listByExternalId(call, 'order-3')).toEqual([]);

    expect(call('DELETE', `sale?ID=${duplicate}`).status).toBe(200);
    expect(listByExternalId(call, 'order-1').map((entry) => entry.SaleID)).toEqual([first]);
  });

  it('moves a sale to its new reference when a PUT changes ExternalID', () => {
    const { call } = setup();
    const customerId = createCustomer(call);
    const id = createSale(call, customerId, 'old-ref');

    expect(call('PUT', 'sale', { ID: id, ExternalID: 'new-ref' }).status).toBe(200);

    expect(listByExternalId(call, 'old-ref')).toEqual([]);
    expect(listByExternalId(call, 'new-ref').map((entry) => entry.SaleID)).toEqual([id]);
  });

  it('shows a shipment on the oldest live sale with its reference, and on the next one once that is voided', () => {
    const { call, catalog } = setup();
    const customerId = createCustomer(call);
    const oldest = createSale(call, customerId, 'order-9');
    const newer = createSale(call, customerId, 'order-9');
    catalog.apply({
      shipments: [
        {
          orderExternalId: 'order-9',
          lines: [{ sku: 'SKU-0001', quantity: 1 }],
          trackingNumbers: ['1Z9'],
          carrier: 'UPS',
          trackingUrl: null,
        },
      ],
    });

    const shipped = (): Record<string, string | undefined> =>
      Object.fromEntries(
        listByExternalId(call, 'order-9').map((entry) => [entry.SaleID, entry.CombinedShippingStatus ?? undefined]),
      );
    expect(shipped()).toEqual({ [oldest]: 'SHIPPED', [newer]: 'NOT SHIPPED' });

    expect(call('DELETE', `sale?ID=${oldest}&Void=true`).status).toBe(200);
    expect(shipped()).toEqual({ [oldest]: 'NOT SHIPPED', [newer]: 'SHIPPED' });
  });
});
