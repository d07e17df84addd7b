import { ErrorKind } from 'src/common/errors/app-error';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { decideOnFailure } from 'src/modules/erp/writer/consumer-outcome';
import { MAX_TRANSIENT_ATTEMPTS } from 'src/modules/erp/writer/retry-policy';

describe(decideOnFailure.name, () => {
  it('dead-letters a permanent error at once, with its reason', () => {
    const decision = decideOnFailure(new ErpError(ErrorKind.Permanent, "unknown item SKU 'X'"), 0);
    expect(decision).toEqual({ action: 'dead-letter', reason: "unknown item SKU 'X'" });
  });

  it('retries a transient error with a counted attempt, then dead-letters after the maximum', () => {
    const first = decideOnFailure(new ErpError(ErrorKind.Transient, 'HTTP 502'), 0);
    expect(first).toMatchObject({ action: 'retry', countsAsAttempt: true });
    const last = decideOnFailure(new ErpError(ErrorKind.Transient, 'HTTP 502'), MAX_TRANSIENT_ATTEMPTS - 1);
    expect(last).toMatchObject({ action: 'dead-letter' });
    expect(last.reason).toContain('HTTP 502');
  });

  it('never counts throttling, an open circuit, bad credentials or a configuration error as attempts, whatever the attempt number', () => {
    for (const error of [
      new ErpError(ErrorKind.Throttled, '429', { retryAfterMs: 2_000 }),
      new ErpError(ErrorKind.Transient, 'ERP circuit open', { vendorCode: 'CIRCUIT_OPEN' }),
      new ErpError(ErrorKind.Auth, 'INVALID_LOGIN_ATTEMPT'),
      new ErpError(ErrorKind.Configuration, 'No HTTP resource was found that matches the request URI'),
    ]) {
      const decision = decideOnFailure(error, 1_000);
      expect(decision).toMatchObject({ action: 'retry', countsAsAttempt: false });
    }
  });

  it('honours Retry-After on a throttled answer', () => {
    const decision = decideOnFailure(new ErpError(ErrorKind.Throttled, '429', { retryAfterMs: 7_000 }), 0);
    expect(decision.action).toBe('retry');
    expect(decision.action === 'retry' && decision.delayMs).toBeGreaterThanOrEqual(7_000);
  });

  it('gives an unknown (infrastructure) error back to the queue rather than judging the message', () => {
    expect(decideOnFailure(new Error('connect ECONNREFUSED 127.0.0.1:5432'), 0)).toMatchObject({ action: 'requeue' });
  });
});
