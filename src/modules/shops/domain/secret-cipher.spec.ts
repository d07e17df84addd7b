import { randomBytes } from 'node:crypto';
import {
  EncryptionKeyMissingError,
  SecretCipher,
  SecretDecryptError,
  encryptionKeyId,
} from 'src/modules/shops/domain/secret-cipher';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const context = 'shops/a.myshopify.com/webhookSecret';

function failureOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error: unknown) {
    return error instanceof SecretDecryptError ? error.failure : `other: ${String(error)}`;
  }
}

/** Flips one bit of the base64url part `index` of a sealed value. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe(SecretCipher.name, () => {
  it('opens what it sealed, and never stores the plain text', () => {
    const cipher = new SecretCipher({ current: keyA });
    const sealed = cipher.encrypt('shpss_the-secret', context);
    expect(sealed).not.toContain('shpss_the-secret');
    expect(sealed).not.toContain(Buffer.from('shpss_the-secret').toString('base64url'));
    expect(sealed.split('.')[1]).toBe(encryptionKeyId(keyA));
    expect(cipher.decrypt(sealed, context)).toBe('shpss_the-secret');
  });

  it('seals the same text differently every time (random IV)', () => {
    const cipher = new SecretCipher({ current: keyA });
    expect(cipher.encrypt('x', context)).not.toBe(cipher.encrypt('x', context));
  });

  it.each([
    ['the ciphertext', 4],
    ['the tag', 3],
    ['the IV', 2],
  ])('detects a change of %s', (_name, index) => {
    const cipher = new SecretCipher({ current: keyA });
    const sealed = cipher.encrypt('shpss_the-secret', context);
    expect(failureOf(() => cipher.decrypt(flip(sealed, index), context))).toBe('tampered');
  });

  it('refuses a ciphertext moved to another shop or field (bound by its AAD)', () => {
    const cipher = new SecretCipher({ current: keyA });
    const sealed = cipher.encrypt('shpss_the-secret', context);
    expect(failureOf(() => cipher.decrypt(sealed, 'shops/b.myshopify.com/webhookSecret'))).toBe('tampered');
    expect(failureOf(() => cipher.decrypt(sealed, 'shops/a.myshopify.com/adminAccessToken'))).toBe('tampered');
  });

  it('says which key is missing, by id, without showing a key or the secret', () => {
    const sealed = new SecretCipher({ current: keyA }).encrypt('shpss_the-secret', context);
    const other = new SecretCipher({ current: keyB });
    expect(failureOf(() => other.decrypt(sealed, context))).toBe('unknown-key');
    let message = '';
    try {
      other.decrypt(sealed, context);
    } catch (error: unknown) {
      message = String(error);
    }
    expect(message).toContain(encryptionKeyId(keyA));
    for (const hidden of ['shpss_the-secret', keyA.toString('base64'), keyB.toString('base64'), keyA.toString('hex')]) {
      expect(message).not.toContain(hidden);
    }
  });

  it('refuses what it did not write', () => {
    const cipher = new SecretCipher({ current: keyA });
    expect(failureOf(() => cipher.decrypt('plain-text-secret', context))).toBe('malformed');
    expect(failureOf(() => cipher.decrypt(`v1.${encryptionKeyId(keyA)}.AA.AA.AA`, context))).toBe('malformed');
  });

  it('rotation: the previous key still opens, only the current one seals, and stale values are recognised', () => {
    const old = new SecretCipher({ current: keyA });
    const sealedOld = old.encrypt('shpat_token', context);
    const rotating = new SecretCipher({ current: keyB, previous: keyA });
    expect(rotating.isStale(sealedOld)).toBe(true);
    const plain = rotating.decrypt(sealedOld, context);
    const resealed = rotating.encrypt(plain, context);
    expect(rotating.isStale(resealed)).toBe(false);
    expect(resealed.split('.')[1]).toBe(encryptionKeyId(keyB));
    // After the rotation the previous key can go: the re-sealed value opens with the new key alone.
    expect(new SecretCipher({ current: keyB }).decrypt(resealed, context)).toBe('shpat_token');
    expect(failureOf(() => new SecretCipher({ current: keyA }).decrypt(resealed, context))).toBe('unknown-key');
  });

  it('without a key it cannot seal, with a clear error', () => {
    const cipher = new SecretCipher({});
    expect(cipher.canEncrypt).toBe(false);
    expect(() => cipher.encrypt('x', context)).toThrow(EncryptionKeyMissingError);
    expect(() => cipher.encrypt('x', context)).toThrow(/SECRETS_ENCRYPTION_KEY is not set/);
  });
});
