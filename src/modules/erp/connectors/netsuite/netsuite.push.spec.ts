import { signNetsuitePush, verifyNetsuitePush } from 'src/modules/erp/connectors/netsuite/netsuite.push';

const now = Date.parse('2026-10-05T10:00:00Z');
const secret = 'push-secret';

function push(body: unknown, headers: Record<string, string | undefined>) {
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { headers, query: {}, rawBody };
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
    const headers = { ...signNetsuitePush(body, secret, now), 'x-erp-timestamp': String(now - 1_000) };
    expect(verifyNetsuitePush(push(body, headers), secret, now).kind).toBe('wake');
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
