import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer-key checks shared by the admin API and the metrics endpoint. Keys are compared as SHA-256 digests with
 * `timingSafeEqual`: equal-length inputs, so neither a key's length nor a matching prefix shows in the timing, and
 * every configured key is compared (no early exit tells which one, or whether any, matched).
 */

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** The digests `matchesKey` compares against; empty keys are dropped. */
export function keyDigests(keys: readonly string[]): Buffer[] {
  return keys.filter((key) => key.length > 0).map(sha256);
}

/** True when `token` is one of the keys whose digests are given. */
export function matchesKey(digests: readonly Buffer[], token: string | undefined): boolean {
  if (token === undefined) {
    return false;
  }
  const digest = sha256(token);
  let matched = false;
  for (const keyDigest of digests) {
    matched = timingSafeEqual(keyDigest, digest) || matched;
  }
  return matched;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
