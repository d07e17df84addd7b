import { ErrorKind } from 'src/common/errors/app-error';
import { ERP_CUSTOMER_NOT_FOUND, ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpRecordRef } from 'src/modules/erp/port/erp.types';
import { withFreshCustomer } from 'src/modules/erp/writer/with-fresh-customer';

const cached: ErpRecordRef = { erpId: 'C-old', externalId: '7001' };
const fresh: ErpRecordRef = { erpId: 'C-new', externalId: '7001' };
const stale = new ErpError(ErrorKind.Permanent, 'gone', { vendorCode: ERP_CUSTOMER_NOT_FOUND });

describe(withFreshCustomer.name, () => {
  it('writes with the cached customer and resolves nothing when the ERP takes it', async () => {
    const resolve = jest.fn();
    await expect(withFreshCustomer(cached, resolve, (ref) => Promise.resolve(`SO for ${ref.erpId}`))).resolves.toEqual({
      customer: cached,
      result: 'SO for C-old',
    });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('resolves the customer once more and writes once more when the ERP no longer has it', async () => {
    const resolve = jest.fn().mockResolvedValue(fresh);
    const write = jest.fn((ref: ErpRecordRef) =>
      ref.erpId === 'C-old' ? Promise.reject(stale) : Promise.resolve(`SO for ${ref.erpId}`),
    );
    await expect(withFreshCustomer(cached, resolve, write)).resolves.toEqual({
      customer: fresh,
      result: 'SO for C-new',
    });
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('gives up after one more try, and passes other failures through untouched', async () => {
    const resolve = jest.fn().mockResolvedValue(fresh);
    const always = jest.fn().mockRejectedValue(stale);
    await expect(withFreshCustomer(cached, resolve, always)).rejects.toBe(stale);
    expect(always).toHaveBeenCalledTimes(2);
    const other = new ErpError(ErrorKind.Permanent, 'UNKNOWN_SKU', { vendorCode: 'UNKNOWN_SKU' });
    const failing = jest.fn().mockRejectedValue(other);
    await expect(withFreshCustomer(cached, resolve, failing)).rejects.toBe(other);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(resolve).toHaveBeenCalledTimes(1);
  });
});
