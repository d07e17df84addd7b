import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
/** NIST SP 800-38D's recommended IV length for GCM; random per encryption. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/** Why a stored secret could not be read. */
export type DecryptFailure =
  /** Sealed with a key that is neither SECRETS_ENCRYPTION_KEY nor SECRETS_ENCRYPTION_KEY_PREVIOUS. */
  | 'unknown-key'
  /** The authentication tag does not match: the ciphertext, its IV, or the shop/field it is bound to changed. */
  | 'tampered'
  /** Not a ciphertext this product writes. */
  | 'malformed';

/** A stored secret that cannot be decrypted. The message names the key id, never a key or a secret. */
export class SecretDecryptError extends Error {
  constructor(
    readonly failure: DecryptFailure,
    message: string,
  ) {
    super(message);
    this.name = SecretDecryptError.name;
  }
}

/** No SECRETS_ENCRYPTION_KEY: nothing can be encrypted. */
export class EncryptionKeyMissingError extends Error {
  constructor() {
    super('SECRETS_ENCRYPTION_KEY is not set: secrets cannot be stored (see README, Shops)');
    this.name = EncryptionKeyMissingError.name;
  }
}

/**
 * @description The id stored beside each ciphertext: 16 hex digits of a SHA-256 of the key. It tells which key
 * sealed a secret (so a rotation knows what to re-encrypt) and says nothing usable about the key itself.
 */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update('erp-sync secrets key id\0').update(key).digest('hex').slice(0, 16);
}

/**
 * @description AES-256-GCM sealing of the secrets kept in PostgreSQL. A sealed value is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts): the key id says which key sealed it; the IV is random per
 * value; the additional authenticated data binds it to where it is stored (`context`, e.g. the shop and field), so a
 * ciphertext copied to another shop or field fails authentication like any other tampering. The current key seals
 * and opens; the previous key only opens (a rotation in progress).
 */
export class SecretCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string | undefined;

  constructor(keys: { current?: Buffer; previous?: Buffer }) {
    for (const key of [keys.current, keys.previous]) {
      if (key !== undefined && key.length !== 32) {
        throw new Error('an AES-256-GCM key must be 32 bytes');
      }
    }
    this.currentKeyId = keys.current === undefined ? undefined : encryptionKeyId(keys.current);
    if (keys.current !== undefined && this.currentKeyId !== undefined) {
      this.keys.set(this.currentKeyId, keys.current);
    }
    if (keys.previous !== undefined) {
      this.keys.set(encryptionKeyId(keys.previous), keys.previous);
    }
  }

  get canEncrypt(): boolean {
    return this.currentKeyId !== undefined;
  }

  /** Seals `plain` with the current key, bound to `context`; throws EncryptionKeyMissingError without one. */
  encrypt(plain: string, context: string): string {
    const keyId = this.currentKeyId;
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (keyId === undefined || key === undefined) {
      throw new EncryptionKeyMissingError();
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, keyId, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  /** Opens a value sealed for `context`; throws SecretDecryptError (never with the value in its message). */
  decrypt(sealed: string, context: string): string {
    const { keyId, iv, tag, ciphertext } = parse(sealed);
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new SecretDecryptError(
        'unknown-key',
        `sealed with key id ${keyId}, which is neither SECRETS_ENCRYPTION_KEY${this.describeKeys()}`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('tampered', 'failed authentication (altered, or stored for another shop or field)');
    }
  }

  /** True when `sealed` was not sealed with the current key (a rotation re-encrypts it). */
  isStale(sealed: string): boolean {
    return parse(sealed).keyId !== this.currentKeyId;
  }

  private describeKeys(): string {
    const ids = [...this.keys.keys()];
    return ids.length === 0 ? ' (unset)' : ` nor SECRETS_ENCRYPTION_KEY_PREVIOUS (known ids: ${ids.join(', ')})`;
  }
}

function parse(sealed: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = sealed.split('.');
  const [version, keyId, iv, tag, ciphertext] = parts;
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    keyId === undefined ||
    !/^[0-9a-f]{16}$/.test(keyId) ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined
  ) {
    throw new SecretDecryptError('malformed', 'is not a sealed secret');
  }
  const bytes = { iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (bytes.iv.length !== IV_BYTES || bytes.tag.length !== TAG_BYTES) {
    throw new SecretDecryptError('malformed', 'is not a sealed secret');
  }
  return { keyId, ...bytes, ciphertext: Buffer.from(ciphertext, 'base64url') };
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
