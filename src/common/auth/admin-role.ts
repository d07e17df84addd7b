/**
 * @description What an admin API key may do, each role including the ones below it: a viewer reads, an operator
 * also retries, replays and triggers work, an admin also changes configuration, shops and keys.
 */
export enum AdminRole {
  Viewer = 'viewer',
  Operator = 'operator',
  Admin = 'admin',
}

const RANK: Record<AdminRole, number> = { [AdminRole.Viewer]: 0, [AdminRole.Operator]: 1, [AdminRole.Admin]: 2 };

/** True when a key holding `held` may do what `required` allows. */
export function roleAtLeast(held: AdminRole, required: AdminRole): boolean {
  return RANK[held] >= RANK[required];
}

/**
 * @description Who is calling the admin API: an `ADMIN_API_KEYS` key (admin, every shop) or a stored key.
 * `shops` null means every shop; otherwise the lower-cased myshopify domains the key may read and act on.
 */
export interface AdminCaller {
  /** The stored key's id; null for a key of ADMIN_API_KEYS. */
  keyId: string | null;
  /** A label for logs and `created_by` columns: the key's name, or `ADMIN_API_KEYS`. */
  name: string;
  role: AdminRole;
  shops: readonly string[] | null;
}

/** A shop as the API compares it: its myshopify domain, trimmed and lower-cased. */
export function normaliseShop(shop: string): string {
  return shop.trim().toLowerCase();
}

/** True when the caller may see and act on `shop`. */
export function callerAllowsShop(caller: AdminCaller, shop: string): boolean {
  return caller.shops === null || caller.shops.includes(normaliseShop(shop));
}

/**
 * The shops a list must be limited to: the one asked for (already checked against the caller's scope by the
 * guard), else the caller's own shops; undefined means no limit (a key for every shop, no shop asked for).
 */
export function shopsToList(caller: AdminCaller, requested?: string | null): readonly string[] | undefined {
  if (requested !== undefined && requested !== null) {
    return [normaliseShop(requested)];
  }
  return caller.shops ?? undefined;
}
