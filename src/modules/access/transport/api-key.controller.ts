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
  Post,
  Query,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { CreateApiKey } from 'src/modules/access/application/create-api-key.use-case';
import { RevokeApiKey } from 'src/modules/access/application/revoke-api-key.use-case';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';
import { ApiKeyPageDto } from 'src/modules/access/transport/dto/api-key-page.dto';
import { ListApiKeysQuery } from 'src/modules/access/transport/dto/list-api-keys.query';
import { CreateApiKeyInput } from 'src/modules/access/transport/inputs/create-api-key.input';
import { ApiKey } from 'src/modules/access/transport/models/api-key.model';
import { CreatedApiKey } from 'src/modules/access/transport/models/created-api-key.model';

const validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** The same key management as the GraphQL API (`apiKeys`, `createApiKey`, `revokeApiKey`), for admins of every shop. */
@AdminApi('api-keys', 'The key is not an admin key for every shop.')
@Controller('admin/api-keys')
export class ApiKeyController {
  constructor(
    private readonly repository: AdminApiKeyRepository,
    private readonly create: CreateApiKey,
    private readonly revoke: RevokeApiKey,
  ) {}

  @Get()
  @RequireRole(AdminRole.Admin, { allShops: true })
  @ApiOperation({ summary: 'List admin API keys, newest first (revoked ones included)' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid.' })
  async list(@Query(validation) query: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    if (after === null) {
      throw new BadRequestException('after is not a cursor returned by this API');
    }
    const page = toPage(await this.repository.list(query.first + 1, after), query.first);
    return {
      items: page.items.map((record) => ApiKey.fromRecord(record)),
      nextCursor: page.hasNextPage ? page.endCursor : null,
    };
  }

  @Post()
  @RequireRole(AdminRole.Admin, { allShops: true })
  @ApiOperation({ summary: 'Create an admin API key; the key is in this answer only' })
  @ApiCreatedResponse({ type: CreatedApiKey })
  @ApiBadRequestResponse({ description: 'A field is invalid; the message names it.' })
  async createOne(@Body(validation) input: CreateApiKeyInput, @Caller() caller: AdminCaller): Promise<CreatedApiKey> {
    const created = await this.create.execute(
      { name: input.name, role: input.role as string as AdminRole, shops: input.shops ?? null },
      caller,
    );
    return { apiKey: ApiKey.fromRecord(created.apiKey), key: created.key };
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Admin, { allShops: true })
  @ApiOperation({ summary: 'Revoke an admin API key (refused from the next request on)' })
  @ApiOkResponse({ type: ApiKey })
  @ApiNotFoundResponse({ description: 'No key has this id.' })
  @ApiConflictResponse({ description: 'The key was already revoked.' })
  async revokeOne(@Param('id') id: string, @Caller() caller: AdminCaller): Promise<ApiKey> {
    const result = await this.revoke.execute(id, caller);
    switch (result.outcome) {
      case 'revoked':
        return ApiKey.fromRecord(result.apiKey);
      case 'not_found':
        throw new NotFoundException('API key not found');
      case 'already_revoked':
        throw new ConflictException('API key was already revoked');
      default:
        return assertNever(result, 'unexpected revoke outcome');
    }
  }
}
