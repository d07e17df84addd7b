import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, callerAllowsShop, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { fieldErrorsBadRequest, restValidationPipe } from 'src/common/http/rest-validation';
import { AddShop } from 'src/modules/shops/application/add-shop.use-case';
import { RotateSecretsEncryptionKey } from 'src/modules/shops/application/rotate-secrets-encryption-key.use-case';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { UpdateShop, type UpdateShopResult } from 'src/modules/shops/application/update-shop.use-case';
import { normalizeShopDomain } from 'src/modules/shops/domain/shop-domain';
import { ShopSettingsInput } from 'src/modules/shops/transport/inputs/shop-settings.input';
import { SecretsKeyRotationModel, ShopModel, toShopModel } from 'src/modules/shops/transport/models/shop.model';

/** The same shop operations as the GraphQL API, for operators working from Swagger at /docs. */
@AdminApi('shops')
@Controller('admin/shops')
export class ShopsController {
  constructor(
    private readonly directory: ShopDirectory,
    private readonly add: AddShop,
    private readonly update: UpdateShop,
    private readonly rotation: RotateSecretsEncryptionKey,
  ) {}

  @Get()
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: "List the shops (the key's own for a key limited to some; secrets shown as set or not)" })
  @ApiOkResponse({ type: [ShopModel] })
  async list(@Caller() caller: AdminCaller): Promise<ShopModel[]> {
    return (await this.directory.views()).filter((view) => callerAllowsShop(caller, view.domain)).map(toShopModel);
  }

  @Post('secrets-encryption-key/rotate')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Admin, { allShops: true })
  @ApiOperation({ summary: 'Re-encrypt every stored secret with SECRETS_ENCRYPTION_KEY' })
  @ApiOkResponse({ type: SecretsKeyRotationModel })
  @ApiBadRequestResponse({ description: 'SECRETS_ENCRYPTION_KEY is not set.' })
  @ApiConflictResponse({
    description: 'A stored secret cannot be decrypted with the keys configured; nothing changed.',
  })
  async rotate(): Promise<SecretsKeyRotationModel> {
    const result = await this.rotation.execute();
    switch (result.outcome) {
      case 'rotated':
        return { keyId: result.keyId, reEncrypted: result.reEncrypted, alreadyCurrent: result.alreadyCurrent };
      case 'key_missing':
        throw new BadRequestException('SECRETS_ENCRYPTION_KEY is not set on the server');
      case 'unreadable':
        throw new ConflictException(
          `shop ${result.shop}: stored ${result.field} ${result.reason}; nothing was changed`,
        );
      default:
        return assertNever(result, 'unexpected rotation outcome');
    }
  }

  @Get(':shop')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'One shop by its myshopify domain' })
  @ApiOkResponse({ type: ShopModel })
  @ApiNotFoundResponse({ description: 'No shop has this domain.' })
  async get(@Param('shop') shop: string): Promise<ShopModel> {
    const view = await this.directory.view(normalizeShopDomain(shop) ?? '');
    if (view === undefined) {
      throw new NotFoundException('shop not found');
    }
    return toShopModel(view);
  }

  @Post(':shop')
  @RequireRole(AdminRole.Admin, { allShops: true })
  @ApiOperation({ summary: 'Add a shop (its webhook secret is required)' })
  @ApiOkResponse({ type: ShopModel })
  @ApiBadRequestResponse({ description: 'Field-level errors in `fieldErrors`.' })
  @ApiConflictResponse({ description: 'A shop with this domain exists already.' })
  async create(@Param('shop') shop: string, @Body(restValidationPipe) input: ShopSettingsInput): Promise<ShopModel> {
    const result = await this.add.execute(shop, input);
    switch (result.outcome) {
      case 'added':
        return toShopModel(result.shop);
      case 'invalid':
        throw fieldErrorsBadRequest(result.errors);
      case 'exists':
        throw new ConflictException('a shop with this domain exists already');
      default:
        return assertNever(result, 'unexpected addShop outcome');
    }
  }

  @Patch(':shop')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Change a shop (a field left out is kept, null clears it)' })
  @ApiOkResponse({ type: ShopModel })
  @ApiBadRequestResponse({ description: 'Field-level errors in `fieldErrors`.' })
  @ApiNotFoundResponse({ description: 'No shop has this domain.' })
  async change(@Param('shop') shop: string, @Body(restValidationPipe) input: ShopSettingsInput): Promise<ShopModel> {
    return updated(await this.update.execute(shop, input));
  }

  @Post(':shop/disable')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Disable a shop: its webhooks are refused (401) until enabled again' })
  @ApiOkResponse({ type: ShopModel })
  @ApiNotFoundResponse({ description: 'No shop has this domain.' })
  async disable(@Param('shop') shop: string): Promise<ShopModel> {
    return updated(await this.update.execute(shop, { enabled: false }));
  }
}

function updated(result: UpdateShopResult): ShopModel {
  switch (result.outcome) {
    case 'updated':
      return toShopModel(result.shop);
    case 'invalid':
      throw fieldErrorsBadRequest(result.errors);
    case 'not_found':
      throw new NotFoundException('shop not found');
    default:
      return assertNever(result, 'unexpected updateShop outcome');
  }
}
