import { SetMetadata, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ADMIN_ACCESS, type AdminAccess } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import type { AdminRole } from 'src/common/auth/admin-role';
import { ShopScopeInterceptor } from 'src/common/auth/shop-scope.interceptor';

/**
 * The one way an admin handler (GraphQL query or mutation, REST route under /admin) declares who may call it: the
 * least role, and whether it acts on every shop at once. It puts the handler behind the admin API key guard, which
 * also refuses a `shop` argument outside the key's scope (403 / FORBIDDEN), and behind the shop-scope check of
 * what the handler returns. A handler without it is refused by the guard and stops the app at boot
 * (`checkAdminRoutes`). Lists take the caller (`@Caller()`) and pass its shops (`shopsToList`) to the repository.
 */
export function RequireRole(role: AdminRole, options: { allShops?: boolean } = {}): MethodDecorator & ClassDecorator {
  const access: AdminAccess = { role, allShops: options.allShops ?? false };
  return applyDecorators(
    SetMetadata(ADMIN_ACCESS, access),
    UseGuards(AdminApiKeyGuard),
    UseInterceptors(ShopScopeInterceptor),
  );
}
