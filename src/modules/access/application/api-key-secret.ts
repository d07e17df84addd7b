import { createHash, randomBytes } from 'node:crypto';

/** What every key this API issues starts with, so that a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_MARKER = 'esk_';
/** How much of a key is stored and shown in clear: the marker and 8 characters (48 of its 256 random bits). */
const PREFIX_LENGTH = API_KEY_MARKER.length + 8;

/** @description A new key: the secret, shown once, and what is stored of it. */
export interface IssuedApiKey {
  key: string;
  hash: Buffer;
  prefix: string;
}

/** SHA-256 of a presented key: what the store looks keys up by (a 256-bit random key needs no slow hash). */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** A new random key: `esk_` and 32 random bytes in base64url (47 characters). */
export function issueApiKey(): IssuedApiKey {
  const key = `${API_KEY_MARKER}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, PREFIX_LENGTH) };
}
