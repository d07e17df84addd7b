import type { ErpPushRequest } from 'src/modules/erp/port/erp.types';

export type Cin7WebhookAuth =
  | { mode: 'header'; secret: string }
  | { mode: 'basic'; username: string; password: string }
  | { mode: 'bearer'; token: string }
  | { mode: 'none' };

/**
 * @description A webhook delivery as a simulated Cin7 Core would POST it (simulation, for tests): the custom header /
 * basic auth / bearer token the operator configured on the webhook, and Cin7's body: a bare JSON array of stock rows
 * for `Stock/AvailableStockLevelChanged`, a single object with `EventType` for the others.
 */
export function cin7WebhookDelivery(eventType: string, auth: Cin7WebhookAuth, payload?: unknown): ErpPushRequest {
  const headers: Record<string, string | undefined> = { 'content-type': 'application/json' };
  switch (auth.mode) {
    case 'header':
      headers['x-erp-secret'] = auth.secret;
      break;
    case 'basic':
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      break;
    case 'bearer':
      headers.authorization = `Bearer ${auth.token}`;
      break;
    case 'none':
      break;
  }
  const body =
    payload ??
    (eventType === 'Stock/AvailableStockLevelChanged'
      ? [
          {
            ProductID: '00000000-0000-4000-8000-000000001001',
            SKU: 'SKU-0001',
            Location: 'Main warehouse',
            Available: 7,
          },
        ]
      : { EventType: eventType, ID: '00000000-0000-4000-8000-000000001001' });
  return { headers, query: {}, rawBody: Buffer.from(JSON.stringify(body), 'utf8') };
}
