import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ADMIN_KEY_STORE } from 'src/common/auth/admin-key-store.port';
import { AdminRoutesCheck } from 'src/common/auth/admin-routes.check';
import { AuthenticateApiKey } from 'src/modules/access/application/authenticate-api-key.service';
import { CreateApiKey } from 'src/modules/access/application/create-api-key.use-case';
import { RevokeApiKey } from 'src/modules/access/application/revoke-api-key.use-case';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';
import { ApiKeyController } from 'src/modules/access/transport/api-key.controller';
import { ApiKeyResolver } from 'src/modules/access/transport/api-key.resolver';

/**
 * Who may use the admin API (api role): the stored keys the guard of every admin handler consults (ADMIN_KEY_STORE,
 * global so that each module's guard finds it), their management (GraphQL and REST /admin/api-keys), and the boot
 * check that every admin handler declares a role.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    AdminApiKeyRepository,
    AuthenticateApiKey,
    { provide: ADMIN_KEY_STORE, useExisting: AuthenticateApiKey },
    CreateApiKey,
    RevokeApiKey,
    ApiKeyResolver,
    AdminRoutesCheck,
  ],
  controllers: [ApiKeyController],
  exports: [ADMIN_KEY_STORE],
})
export class AccessModule {}
