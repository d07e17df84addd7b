import {
  BC_VALIDATION_TOKEN_MAX_BYTES,
  entitySetOf,
  planSubscriptions,
  verifyBusinessCentralPush,
} from 'src/modules/erp/connectors/business-central/business-central.push';
import type { BcSubscription } from 'src/modules/erp/connectors/business-central/business-central.types';

const SECRET = 'client-state-secret';
const COMPANY = 'b18aed47-c385-49d2-b954-dbdf8ad71780';

function push(body: unknown, query: Record<string, string> = {}) {
  return { headers: {}, query, rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

/** The notification sample of api-reference/v2.0/dynamics-subscriptions, with our client state. */
const notification = (clientState: string, resource: string, changeType = 'updated') => ({
  value: [
    {
      subscriptionId: 'webhookItemsId',
      clientState,
      expirationDateTime: '2026-10-29T07:52:31Z',
      resource,
      changeType,
      lastModifiedDateTime: '2026-10-26T12:54:20.467Z',
    },
  ],
});

describe(verifyBusinessCentralPush.name, () => {
  it('answers the validation-token handshake with the token', () => {
    expect(verifyBusinessCentralPush(push('', { validationToken: 'abc123' }), SECRET)).toEqual({
      kind: 'handshake',
      body: 'abc123',
    });
  });

  it('refuses to echo a validation token over 1 KiB (malformed, 400), and echoes one of exactly 1 KiB', () => {
    const longest = 'a'.repeat(BC_VALIDATION_TOKEN_MAX_BYTES);
    expect(verifyBusinessCentralPush(push('', { validationToken: longest }), SECRET)).toEqual({
      kind: 'handshake',
      body: longest,
    });
    // Counted in bytes: 512 two-byte characters are 1 KiB, one more is over.
    expect(verifyBusinessCentralPush(push('', { validationToken: `${'é'.repeat(512)}a` }), SECRET)).toEqual({
      kind: 'malformed',
      reason: 'validationToken longer than 1024 bytes',
    });
  });

  it('wakes item reads for an item notification with the right client state', () => {
    const body = notification(SECRET, `api/v2.0/companies(${COMPANY})/items(26814998-936a-401c-81c1-0e848a64971d)`);
    expect(verifyBusinessCentralPush(push(body), SECRET)).toEqual({ kind: 'wake', streams: ['items'] });
  });

  it('wakes item reads for a collection notification', () => {
    const body = notification(
      SECRET,
      `/api/v2.0/companies(${COMPANY})/items?$filter=lastModifiedDateTime%20gt%202026-10-15T11:00:00Z`,
      'collection',
    );
    expect(verifyBusinessCentralPush(push(body), SECRET)).toEqual({ kind: 'wake', streams: ['items'] });
  });

  it('wakes nothing for entity sets without a delta stream', () => {
    const body = notification(SECRET, `api/v2.0/companies(${COMPANY})/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3)`);
    expect(verifyBusinessCentralPush(push(body), SECRET)).toEqual({ kind: 'wake', streams: [] });
  });

  it.each([
    ['a wrong client state', push(notification('forged', `api/v2.0/companies(${COMPANY})/items`)), SECRET],
    ['no configured client state', push(notification(SECRET, `api/v2.0/companies(${COMPANY})/items`)), undefined],
    ['a body that is not JSON', push('hello'), SECRET],
    ['an empty value list', push({ value: [] }), SECRET],
    [
      'one forged entry among good ones',
      push({
        value: [
          ...notification(SECRET, `api/v2.0/companies(${COMPANY})/items`).value,
          ...notification('x', `api/v2.0/companies(${COMPANY})/items`).value,
        ],
      }),
      SECRET,
    ],
  ])('rejects %s', (_name, request, secret) => {
    expect(verifyBusinessCentralPush(request, secret).kind).toBe('rejected');
  });

  it('reads the entity set of a resource path', () => {
    expect(entitySetOf(`/api/v2.0/companies(${COMPANY})/salesOrders(1)`)).toBe('salesOrders');
    expect(entitySetOf('nothing')).toBeUndefined();
  });
});

describe(planSubscriptions.name, () => {
  const now = Date.parse('2026-10-01T00:00:00Z');
  const url = 'https://app.example/webhooks/erp/business-central';
  const resource = `/api/v2.0/companies(${COMPANY})/items`;
  const subscription = (overrides: Partial<BcSubscription> = {}): BcSubscription => ({
    subscriptionId: 's1',
    notificationUrl: url,
    resource: `api/v2.0/companies(${COMPANY.toUpperCase()})/items`,
    clientState: SECRET,
    expirationDateTime: '2026-10-03T12:00:00Z',
    '@odata.etag': 'W/"1"',
    ...overrides,
  });

  it('creates a missing subscription, keeps a fresh one and renews one that expires within 24 h', () => {
    expect(planSubscriptions([], [resource], url, SECRET, now)).toEqual([{ kind: 'create', resource }]);
    expect(planSubscriptions([subscription()], [resource], url, SECRET, now)).toEqual([
      { kind: 'keep', subscription: subscription() },
    ]);
    const soon = subscription({ expirationDateTime: '2026-10-01T20:00:00Z' });
    expect(planSubscriptions([soon], [resource], url, SECRET, now)).toEqual([{ kind: 'renew', subscription: soon }]);
  });

  it('renews one with another client state and ignores other notification URLs', () => {
    const stale = subscription({ clientState: 'old' });
    expect(planSubscriptions([stale], [resource], url, SECRET, now)[0].kind).toBe('renew');
    expect(
      planSubscriptions([subscription({ notificationUrl: 'https://other' })], [resource], url, SECRET, now)[0].kind,
    ).toBe('create');
  });
});
