import { createHmac } from 'node:crypto';
import { signNetsuitePush, verifyNetsuitePush } from 'src/modules/erp/connectors/netsuite/netsuite.push';

const now = Date.parse('2026-10-05T10:00:00Z');
const secret = 'push-secret';

function push(body: unknown, headers: Record<string, string | undefined>) {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { headers, query: {}, rawBody };
}

/** HMAC-SHA256 hex with the push secret, as the SuiteScript computes it. */
function hmac(text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

describe(verifyNetsuitePush.name, () => {
  const body = JSON.stringify({ streams: ['shipments', 'items', 'items'] });

  it('wakes the listed streams, deduplicated, for a fresh push with the right signature', () => {
    expect(verifyNetsuitePush(push(body, signNetsuitePush(body, secret, now)), secret, now)).toEqual({
      kind: 'wake',
      streams: ['items', 'shipments'],
    });
  });

  it('accepts a millisecond timestamp', () => {
    const timestamp = String(now - 1_000);
    const headers = { 'x-erp-timestamp': timestamp, 'x-erp-signature': `sha256=${hmac(`${timestamp}.${body}`)}` };
    expect(verifyNetsuitePush(push(body, headers), secret, now).kind).toBe('wake');
  });

  it('signs the timestamp with the body: a captured push with a fresh timestamp is refused', () => {
    const captured = signNetsuitePush(body, secret, now - 600_000);
    const replayed = { ...captured, 'x-erp-timestamp': String(Math.floor(now / 1_000)) };
    expect(verifyNetsuitePush(push(body, replayed), secret, now)).toEqual({
      kind: 'rejected',
      reason: 'X-Erp-Signature does not match the body',
    });
    // A signature of the body alone (the old scheme) no longer passes either.
    const bodyOnly = { 'x-erp-timestamp': String(Math.floor(now / 1_000)), 'x-erp-signature': `sha256=${hmac(body)}` };
    expect(verifyNetsuitePush(push(body, bodyOnly), secret, now).kind).toBe('rejected');
  });

  it('takes the replay window it is given', () => {
    const minuteOld = signNetsuitePush(body, secret, now - 61_000);
    expect(verifyNetsuitePush(push(body, minuteOld), secret, now, 60_000)).toMatchObject({ kind: 'rejected' });
    expect(verifyNetsuitePush(push(body, minuteOld), secret, now, 120_000).kind).toBe('wake');
  });

  it.each([
    ['no secret configured', body, () => signNetsuitePush(body, secret, now), undefined],
    ['another secret', body, () => signNetsuitePush(body, 'other', now), secret],
    ['a changed body', body.replace('items', 'item'), () => signNetsuitePush(body, secret, now), secret],
    ['no signature', body, () => ({ 'x-erp-timestamp': String(now / 1_000) }), secret],
    [
      'a short signature',
      body,
      () => ({ ...signNetsuitePush(body, secret, now), 'x-erp-signature': 'sha256=ab' }),
      secret,
    ],
    [
      'no timestamp',
      body,
      () => ({ 'x-erp-signature': signNetsuitePush(body, secret, now)['x-erp-signature'] }),
      secret,
    ],
    ['a stale timestamp', body, () => signNetsuitePush(body, secret, now - 301_000), secret],
    ['a future timestamp', body, () => signNetsuitePush(body, secret, now + 301_000), secret],
    [
      'an unknown stream',
      '{"streams":["orders"]}',
      () => signNetsuitePush('{"streams":["orders"]}', secret, now),
      secret,
    ],
    ['no streams', '{"streams":[]}', () => signNetsuitePush('{"streams":[]}', secret, now), secret],
    ['a non-JSON body', 'x', () => signNetsuitePush('x', secret, now), secret],
  ])('rejects %s', (_name, rawBody, headers, configured) => {
    expect(verifyNetsuitePush(push(rawBody, headers()), configured, now).kind).toBe('rejected');
  });
});
