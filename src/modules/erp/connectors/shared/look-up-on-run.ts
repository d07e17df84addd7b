import type { ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import type { ErpWriteOptions } from 'src/modules/erp/port/erp.types';

/**
 * @description Whether a run of a locked order write looks its record up before creating it: when an earlier write
 * of the order was recorded (`mayExist`), or when the lock repeats the run after waiting out a create in doubt. When
 * not (the order's first write), the lease is told so (`assumeNew`), and its create reads no durable record.
 */
export function lookUpOnRun(options: ErpWriteOptions, repeated: boolean, lease: ErpLockLease): boolean {
  const lookUp = options.mayExist || repeated;
  if (!lookUp) {
    lease.assumeNew();
  }
  return lookUp;
}
