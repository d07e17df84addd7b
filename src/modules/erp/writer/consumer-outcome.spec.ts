import { ErrorKind } from 'src/common/errors/app-error';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { decideOnFailure } from 'src/modules/erp/writer/consumer-outcome';
import { MAX_TRANSIENT_ATTEMPTS, MAX_UNEXPECTED_ATTEMPTS } from 'src/modules/erp/writer/retry-policy';

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

  it('pauses, rather than judging the message, when our own PostgreSQL or Redis is unreachable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(decideOnFailure(refused, 0)).toEqual({
      action: 'pause',
      services: ['postgresql', 'redis'],
      reason: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    const restarting = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    expect(decideOnFailure(restarting, 7)).toMatchObject({ action: 'pause', services: ['postgresql'] });
    const redis = Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(decideOnFailure(redis, 0)).toMatchObject({ action: 'pause', services: ['redis'] });
  });

  it('retries a database deadlock or statement timeout as a transient failure, counted', () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(decideOnFailure(deadlock, 0)).toMatchObject({ action: 'retry', countsAsAttempt: true });
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(decideOnFailure(timeout, MAX_TRANSIENT_ATTEMPTS - 1)).toMatchObject({ action: 'dead-letter' });
  });

  it('retries an unexpected error (a bug) with backoff, uncounted as a transient attempt, then dead-letters it with its stack', () => {
    const bug = new RangeError('Invalid money amount');
    expect(decideOnFailure(bug, { transient: 5, unexpected: 0 })).toMatchObject({
      action: 'retry',
      countsAsAttempt: false,
      countsAsUnexpected: true,
    });
    const second = decideOnFailure(bug, { transient: 0, unexpected: 1 });
    expect(second.action === 'retry' && second.delayMs).toBeGreaterThanOrEqual(4_000);
    const third = decideOnFailure(bug, { transient: 0, unexpected: MAX_UNEXPECTED_ATTEMPTS - 1 });
    expect(third.action).toBe('dead-letter');
    expect(third.reason).toContain('unexpected error after 3 attempts: RangeError: Invalid money amount\n    at ');
  });
});
