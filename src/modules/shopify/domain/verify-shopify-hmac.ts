import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Verifies `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the *raw request bytes* with the app's secret.
 * Checked before any JSON parsing, in constant time. Several secrets are accepted so that a rotation window
 * (Shopify may keep signing with the old secret for up to an hour) does not reject good deliveries.
 */
export function verifyShopifyHmac(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (header === undefined || header.length === 0 || header.length > 64 || !BASE64.test(header)) {
    return false;
  }
  const given = Buffer.from(header, 'base64');
  if (given.length !== SHA256_BYTES) {
    return false;
  }
  let matched = false;
  // Every secret is always computed and compared, so timing does not reveal which one matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched;
}

export function signShopifyBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
