import { signShopifyBody, verifyShopifyHmac } from 'src/modules/shopify/domain/verify-shopify-hmac';

describe(verifyShopifyHmac.name, () => {
  // A test vector computed independently (openssl dgst -sha256 -hmac, base64) for this body and secret.
  const secret = 'shpss_test_secret';
  const body = Buffer.from('{"id":6004604174410,"name":"#1019"}');
  const vector = 'GocDjX+uge5eBpGg58fJJPA9djuScGwSrRJp8bFvay4=';

  it('accepts the independently computed test vector', () => {
    expect(signShopifyBody(body, secret)).toBe(vector);
    expect(verifyShopifyHmac(body, vector, [secret])).toBe(true);
  });

  it('rejects a missing, empty, non-base64 or wrong-length header', () => {
    expect(verifyShopifyHmac(body, undefined, [secret])).toBe(false);
    expect(verifyShopifyHmac(body, '', [secret])).toBe(false);
    expect(verifyShopifyHmac(body, 'not base64 !!', [secret])).toBe(false);
    expect(verifyShopifyHmac(body, Buffer.alloc(16).toString('base64'), [secret])).toBe(false);
    expect(verifyShopifyHmac(body, Buffer.alloc(33).toString('base64'), [secret])).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyShopifyHmac(body, signShopifyBody(body, 'another_secret'), [secret])).toBe(false);
  });

  it('rejects the signature of re-serialised JSON (the raw bytes are what is signed)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    const spaced = Buffer.from('{"id": 6004604174410, "name": "#1019"}');
    expect(verifyShopifyHmac(spaced, signShopifyBody(reserialised, secret), [secret])).toBe(false);
  });

  it('rejects a body changed by one byte', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] ^= 1;
    expect(verifyShopifyHmac(tampered, vector, [secret])).toBe(false);
  });

  it('accepts the previous secret during a rotation window, and not after it is removed', () => {
    const oldSignature = signShopifyBody(body, 'old_secret_value');
    expect(verifyShopifyHmac(body, oldSignature, ['new_secret_value', 'old_secret_value'])).toBe(true);
    expect(verifyShopifyHmac(body, oldSignature, ['new_secret_value'])).toBe(false);
  });
});
