import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, callerAllowsShop, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { AddShop } from 'src/modules/shops/application/add-shop.use-case';
import { RotateSecretsEncryptionKey } from 'src/modules/shops/application/rotate-secrets-encryption-key.use-case';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { UpdateShop, type UpdateShopResult } from 'src/modules/shops/application/update-shop.use-case';
import { normalizeShopDomain } from 'src/modules/shops/domain/shop-domain';
import type { ShopFieldError } from 'src/modules/shops/domain/shop.types';
import { ShopSettingsInput } from 'src/modules/shops/transport/inputs/shop-settings.input';
import { SecretsKeyRotationModel, ShopModel, toShopModel } from 'src/modules/shops/transport/models/shop.model';

/** The shops of the deployment for operators: list, add, change, disable, and re-encrypt their stored secrets. */
@Resolver(() => ShopModel)
export class ShopsResolver {
  constructor(
    private readonly directory: ShopDirectory,
    private readonly add: AddShop,
    private readonly update: UpdateShop,
    private readonly rotation: RotateSecretsEncryptionKey,
  ) {}

  @Query(() => [ShopModel], {
    description: "Every shop (the key's own for a key limited to some), by domain. Secrets: set or not, never a value.",
  })
  @RequireRole(AdminRole.Viewer)
  async shops(@Caller() caller: AdminCaller): Promise<ShopModel[]> {
    return (await this.directory.views()).filter((view) => callerAllowsShop(caller, view.domain)).map(toShopModel);
  }

  @Query(() => ShopModel, { description: 'One shop by its myshopify domain.' })
  @RequireRole(AdminRole.Viewer)
  async shop(@Args('shop') shop: string): Promise<ShopModel> {
    const view = await this.directory.view(normalizeShopDomain(shop) ?? '');
    if (view === undefined) {
      throw new GraphqlClientError('shop not found', 'NOT_FOUND');
    }
    return toShopModel(view);
  }

  @Mutation(() => ShopModel, { description: 'Adds a Shopify store; its webhooks are accepted with its own secret.' })
  // A new shop is outside every shop list a key could have: only an admin of every shop adds one.
  @RequireRole(AdminRole.Admin, { allShops: true })
  async addShop(
    @Args('shop') shop: string,
    @Args('input', new GraphqlValidationPipe()) input: ShopSettingsInput,
  ): Promise<ShopModel> {
    const result = await this.add.execute(shop, input);
    switch (result.outcome) {
      case 'added':
        return toShopModel(result.shop);
      case 'invalid':
        throw invalid(result.errors);
      case 'exists':
        throw new GraphqlClientError('a shop with this domain exists already', 'CONFLICT');
      default:
        return assertNever(result, 'unexpected addShop outcome');
    }
  }

  @Mutation(() => ShopModel, { description: 'Changes a shop; a field left out is kept, null clears it.' })
  @RequireRole(AdminRole.Admin)
  async updateShop(
    @Args('shop') shop: string,
    @Args('input', new GraphqlValidationPipe()) input: ShopSettingsInput,
  ): Promise<ShopModel> {
    return updated(await this.update.execute(shop, input));
  }

  @Mutation(() => ShopModel, { description: 'Disables a shop: its webhooks are refused (401) until enabled again.' })
  @RequireRole(AdminRole.Admin)
  async disableShop(@Args('shop') shop: string): Promise<ShopModel> {
    return updated(await this.update.execute(shop, { enabled: false }));
  }

  @Mutation(() => SecretsKeyRotationModel, {
    description:
      'Re-encrypts every stored secret with SECRETS_ENCRYPTION_KEY (after a key change; also done at start).',
  })
  @RequireRole(AdminRole.Admin, { allShops: true })
  async rotateSecretsEncryptionKey(): Promise<SecretsKeyRotationModel> {
    const result = await this.rotation.execute();
    switch (result.outcome) {
      case 'rotated':
        return { keyId: result.keyId, reEncrypted: result.reEncrypted, alreadyCurrent: result.alreadyCurrent };
      case 'key_missing':
        throw new GraphqlClientError('SECRETS_ENCRYPTION_KEY is not set on the server', 'BAD_USER_INPUT');
      case 'unreadable':
        throw new GraphqlClientError(
          `shop ${result.shop}: stored ${result.field} ${result.reason}; nothing was changed`,
          'CONFLICT',
        );
      default:
        return assertNever(result, 'unexpected rotation outcome');
    }
  }
}

function updated(result: UpdateShopResult): ShopModel {
  switch (result.outcome) {
    case 'updated':
      return toShopModel(result.shop);
    case 'invalid':
      throw invalid(result.errors);
    case 'not_found':
      throw new GraphqlClientError('shop not found', 'NOT_FOUND');
    default:
      return assertNever(result, 'unexpected updateShop outcome');
  }
}

function invalid(errors: ShopFieldError[]): GraphqlClientError {
  return new GraphqlClientError(errors.map((e) => `${e.field} ${e.message}`).join('; '), 'BAD_USER_INPUT', errors);
}
