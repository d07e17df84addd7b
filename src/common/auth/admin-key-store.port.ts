import type { AdminCaller } from 'src/common/auth/admin-role';

/**
 * @description Where the admin API guard looks up a bearer key that is not one of ADMIN_API_KEYS: the stored,
 * hashed keys with their role and shop scope (the access module provides it in the api role).
 */
export interface AdminKeyStore {
  /** The caller a presented key belongs to; undefined for an unknown or revoked key. Never logs the key. */
  authenticate(token: string): Promise<AdminCaller | undefined>;
}

export const ADMIN_KEY_STORE = Symbol('ADMIN_KEY_STORE');
