import {
  ForbiddenException,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { callerOf } from 'src/common/auth/admin-caller';
import { callerAllowsShop, type AdminCaller } from 'src/common/auth/admin-role';

/** Deep enough for a connection (connection → edges → edge → node → shop) and a REST page (items → item → shop). */
const MAX_DEPTH = 6;

/** The first `shop` (a string property of that name, at any depth up to MAX_DEPTH) the caller may not see. */
export function shopOutsideScope(caller: AdminCaller, value: unknown, depth = 0): string | undefined {
  if (caller.shops === null || depth > MAX_DEPTH || typeof value !== 'object' || value === null) {
    return undefined;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) {
    return undefined;
  }
  const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  const shop = Array.isArray(value) ? undefined : (value as { shop?: unknown }).shop;
  if (typeof shop === 'string' && !callerAllowsShop(caller, shop)) {
    return shop;
  }
  for (const child of children) {
    const found = shopOutsideScope(caller, child, depth + 1);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/**
 * The second half of the shop scope (`@RequireRole` applies it after the guard): whatever an admin handler returns
 * to a key scoped to some shops is searched for a `shop` outside them. Handlers filter their lists by the caller's
 * shops themselves; this catches one that forgot, answering 403 instead of another shop's data, and logs the bug.
 */
@Injectable()
export class ShopScopeInterceptor implements NestInterceptor {
  private readonly logger = new Logger(ShopScopeInterceptor.name);

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const caller = callerOf(context);
    return next.handle().pipe(
      map((value: unknown) => {
        if (caller === undefined || caller.shops === null) {
          return value;
        }
        const shop = shopOutsideScope(caller, value);
        if (shop !== undefined) {
          this.logger.error(
            { handler: `${context.getClass().name}.${context.getHandler().name}`, keyId: caller.keyId },
            'an admin handler returned data of a shop outside the key scope; answered 403 instead',
          );
          throw new ForbiddenException('the key is not allowed to access the shop asked for');
        }
        return value;
      }),
    );
  }
}
