import { normaliseShop, roleAtLeast, type AdminCaller, type AdminRole } from 'src/common/auth/admin-role';

/** Metadata key `@RequireRole` writes on an admin handler (or class) and the admin API guard reads. */
export const ADMIN_ACCESS = 'erp-sync:admin-access';

/** @description What an admin handler requires of its caller. */
export interface AdminAccess {
  role: AdminRole;
  /**
   * The handler acts on every shop at once (no `shop` argument narrows it: a reconciliation of all locations, the
   * key list): only a key for every shop may call it, whatever its role.
   */
  allShops: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function shopValues(source: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  if (source.shop !== undefined && source.shop !== null) {
    found.push(source.shop);
  }
  if (source.shops !== undefined && source.shops !== null) {
    found.push(...(Array.isArray(source.shops) ? (source.shops as unknown[]) : [source.shops]));
  }
  return found;
}

/**
 * Every shop a request names, as sent: a `shop` or `shops` argument at the top of each source (GraphQL args; REST
 * path parameters, query and body) or one level down (`filter.shop`, `input.shop`). Values are not validated here:
 * anything that is not a shop string of the caller's scope is refused.
 */
export function requestedShops(sources: readonly unknown[]): unknown[] {
  return sources.filter(isRecord).flatMap((source) => [
    ...shopValues(source),
    ...Object.values(source)
      .filter(isRecord)
      .flatMap((nested) => shopValues(nested)),
  ]);
}

/**
 * Why `caller` may not run a handler requiring `access` with these `shops` arguments; undefined when it may. A
 * handler that declares nothing is refused: the default is no.
 */
export function accessRefusal(
  caller: AdminCaller,
  access: AdminAccess | undefined,
  shops: readonly unknown[],
): string | undefined {
  if (access === undefined) {
    return 'this operation declares no role and is refused';
  }
  if (!roleAtLeast(caller.role, access.role)) {
    return `this operation requires the ${access.role} role; the key has the ${caller.role} role`;
  }
  if (caller.shops === null) {
    return undefined;
  }
  if (access.allShops) {
    return 'this operation acts on every shop and requires a key for every shop';
  }
  const scope = caller.shops;
  if (shops.some((shop) => typeof shop !== 'string' || !scope.includes(normaliseShop(shop)))) {
    return 'the key is not allowed to access the shop asked for';
  }
  return undefined;
}
