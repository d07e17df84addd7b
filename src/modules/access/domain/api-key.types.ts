import type { AdminRole } from 'src/common/auth/admin-role';

/** @description A stored admin API key as the API shows it: never the key, only its first characters. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: AdminRole;
  /** Lower-cased myshopify domains the key is limited to; null: every shop. */
  shops: readonly string[] | null;
  /** The key's first characters (`esk_` and 8 more), so that an operator can tell which key a client holds. */
  prefix: string;
  /** Who created it: the creating key's name and id, or ADMIN_API_KEYS. */
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** @description What an admin asks for when creating a key. */
export interface NewApiKey {
  name: string;
  role: AdminRole;
  shops: readonly string[] | null;
}

/** @description Revoking a key: done, unknown id, or revoked before (the first revocation's record). */
export type RevokeApiKeyResult =
  | { outcome: 'revoked'; apiKey: ApiKeyRecord }
  | { outcome: 'not_found' }
  | { outcome: 'already_revoked'; apiKey: ApiKeyRecord };
