import { ErrorKind } from 'src/common/errors/app-error';
import { ItemIdResolver, type ItemIdLookup } from 'src/modules/erp/connectors/shared/item-id-resolver';
import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import { ERP_CUSTOMER_NOT_FOUND, ErpError } from 'src/modules/erp/port/erp-error';

class MemoryXref implements ErpItemXref {
  readonly rows = new Map<string, string>();
  find(sku: string): Promise<string | undefined> {
    return Promise.resolve(this.rows.get(sku));
  }
  remember(sku: string, erpItemId: string): Promise<void> {
    this.rows.set(sku, erpItemId);
    return Promise.resolve();
  }
  forget(sku: string): Promise<void> {
    this.rows.delete(sku);
    return Promise.resolve();
  }
}

const refusedItem = new ErpError(ErrorKind.Permanent, 'item refused', { vendorCode: 'REFUSED' });
/** Some vendors (Business Central) answer a missing customer with the same code as a missing item. */
const refusedCustomer = new ErpError(ErrorKind.Permanent, 'customer refused', {
  vendorCode: 'REFUSED',
  httpStatus: 400,
});

function setup(erpItems: Record<string, string>, refused?: ItemIdLookup['refused']) {
  const xref = new MemoryXref();
  const lookups: string[][] = [];
  const lookup: ItemIdLookup = {
    find: (skus) => {
      lookups.push(skus);
      return Promise.resolve(
        new Map(skus.filter((sku) => erpItems[sku] !== undefined).map((sku) => [sku, erpItems[sku] ?? ''])),
      );
    },
    unknownSkus: (skus) =>
      new ErpError(ErrorKind.Permanent, `unknown ${skus.join(',')}`, { vendorCode: 'UNKNOWN_SKU' }),
    isRefusedItem: (error): error is ErpError => error === refusedItem || error === refusedCustomer,
    isRefusedCustomer: (error): error is ErpError => error === refusedCustomer,
    refused,
  };
  return { xref, lookups, resolver: new ItemIdResolver(xref, lookup) };
}

describe(ItemIdResolver.name, () => {
  it('takes ids from the cross-reference, looks the others up once and remembers them', async () => {
    const { xref, lookups, resolver } = setup({ A: '1', B: '2' });
    xref.rows.set('A', '10');
    const seen = await resolver.withItemIds(['A', 'B', 'B'], (ids) => Promise.resolve(Object.fromEntries(ids)));
    expect(seen).toEqual({ A: '10', B: '2' });
    expect(lookups).toEqual([['B']]);
    expect(xref.rows.get('B')).toBe('2');
  });

  it("throws the vendor's unknown-SKU error without writing", async () => {
    const { resolver } = setup({ A: '1' });
    const write = jest.fn();
    await expect(resolver.withItemIds(['A', 'X', 'Y'], write)).rejects.toMatchObject({ message: 'unknown X,Y' });
    expect(write).not.toHaveBeenCalled();
  });

  it('forgets refused cross-reference ids and writes once more with fresh lookups', async () => {
    const { xref, lookups, resolver } = setup({ A: '11' });
    xref.rows.set('A', 'stale');
    const write = jest
      .fn<Promise<string>, [ReadonlyMap<string, string>]>()
      .mockRejectedValueOnce(refusedItem)
      .mockImplementation((ids) => Promise.resolve(ids.get('A') ?? ''));
    await expect(resolver.withItemIds(['A'], write)).resolves.toBe('11');
    expect(lookups).toEqual([['A']]);
    expect(xref.rows.get('A')).toBe('11');
  });

  it('gives a refusal no stale entry explains to `refused` (the ERP error itself by default)', async () => {
    const wrapped = new ErpError(ErrorKind.Permanent, 'wrapped', { vendorCode: 'UNKNOWN_SKU' });
    const plain = setup({ A: '1' });
    await expect(plain.resolver.withItemIds(['A'], () => Promise.reject(refusedItem))).rejects.toBe(refusedItem);
    const wrapping = setup({ A: '1' }, () => wrapped);
    await expect(wrapping.resolver.withItemIds(['A'], () => Promise.reject(refusedItem))).rejects.toBe(wrapped);
    wrapping.xref.rows.set('A', 'stale');
    const write = jest.fn().mockRejectedValue(refusedItem);
    await expect(wrapping.resolver.withItemIds(['A'], write)).rejects.toBe(wrapped);
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('throws a refused customer at once as CUSTOMER_NOT_FOUND, forgetting no item id', async () => {
    const { xref, lookups, resolver } = setup({ A: '1' });
    xref.rows.set('A', '1');
    const write = jest.fn().mockRejectedValue(refusedCustomer);
    await expect(resolver.withItemIds(['A'], write)).rejects.toMatchObject({
      kind: ErrorKind.Permanent,
      code: ERP_CUSTOMER_NOT_FOUND,
      details: { httpStatus: 400 },
      message: expect.stringContaining('customer refused'),
    });
    expect(write).toHaveBeenCalledTimes(1);
    expect(lookups).toEqual([]);
    expect(xref.rows.get('A')).toBe('1');
  });

  it('says CUSTOMER_NOT_FOUND when the write run again for a stale item finds the customer refused', async () => {
    const { xref, resolver } = setup({ A: '11' });
    xref.rows.set('A', 'stale');
    const write = jest.fn().mockRejectedValueOnce(refusedItem).mockRejectedValueOnce(refusedCustomer);
    await expect(resolver.withItemIds(['A'], write)).rejects.toMatchObject({ code: ERP_CUSTOMER_NOT_FOUND });
    expect(xref.rows.get('A')).toBe('11');
  });

  it('passes any other failure through without a second write', async () => {
    const { xref, resolver } = setup({ A: '1' });
    xref.rows.set('A', '1');
    const outage = new ErpError(ErrorKind.Transient, 'down');
    const write = jest.fn().mockRejectedValue(outage);
    await expect(resolver.withItemIds(['A'], write)).rejects.toBe(outage);
    expect(write).toHaveBeenCalledTimes(1);
    expect(xref.rows.get('A')).toBe('1');
  });
});
