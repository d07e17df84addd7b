import { buildWebhookRequest, ShopifyHeader, signShopifyWebhook } from 'test/support/webhook-signer';

const SECRET = 'shpss_test_secret';
const BODY = '{"id":6004604174410,"name":"#1019"}';
const EXPECTED = 'GocDjX+uge5eBpGg58fJJPA9djuScGwSrRJp8bFvay4=';

describe(signShopifyWebhook.name, () => {
  it('matches the known test vector for a string body', () => {
    expect(signShopifyWebhook(BODY, SECRET)).toBe(EXPECTED);
  });

  it('signs a Buffer the same as the equal string', () => {
    expect(signShopifyWebhook(Buffer.from(BODY, 'utf8'), SECRET)).toBe(EXPECTED);
  });

  it('changes when the body is re-serialised with other whitespace', () => {
    expect(signShopifyWebhook('{"id": 6004604174410, "name": "#1019"}', SECRET)).not.toBe(EXPECTED);
  });
});

describe(buildWebhookRequest.name, () => {
  it('signs the exact bytes it sends and sets every Shopify header', () => {
    const req = buildWebhookRequest({
      topic: 'orders/create',
      order: { id: 6004604174410, name: '#1019' },
      secret: SECRET,
      shop: 'demo-store.myshopify.com',
      webhookId: 'w-1',
      eventId: 'e-1',
      triggeredAt: new Date('2026-11-29T10:00:00.000Z'),
    });
    expect(req.body.toString('utf8')).toBe(BODY);
    expect(req.headers).toEqual({
      'Content-Type': 'application/json',
      [ShopifyHeader.Topic]: 'orders/create',
      [ShopifyHeader.Hmac]: EXPECTED,
      [ShopifyHeader.ShopDomain]: 'demo-store.myshopify.com',
      [ShopifyHeader.WebhookId]: 'w-1',
      [ShopifyHeader.EventId]: 'e-1',
      [ShopifyHeader.ApiVersion]: '2026-10',
      [ShopifyHeader.TriggeredAt]: '2026-11-29T10:00:00.000Z',
    });
  });

  it('gives each delivery fresh ids unless told otherwise', () => {
    const a = buildWebhookRequest({ topic: 'orders/create', order: BODY, secret: SECRET, shop: 's' });
    const b = buildWebhookRequest({ topic: 'orders/create', order: BODY, secret: SECRET, shop: 's' });
    expect(a.webhookId).not.toBe(b.webhookId);
    expect(a.eventId).not.toBe(b.eventId);
    expect(a.headers[ShopifyHeader.Hmac]).toBe(b.headers[ShopifyHeader.Hmac]);
  });
});
