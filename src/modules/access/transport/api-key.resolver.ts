import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { PageArgs } from 'src/common/graphql/page-args';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { CreateApiKey } from 'src/modules/access/application/create-api-key.use-case';
import { RevokeApiKey } from 'src/modules/access/application/revoke-api-key.use-case';
import { AdminApiKeyRepository } from 'src/modules/access/persistence/admin-api-key.repository';
import { CreateApiKeyInput } from 'src/modules/access/transport/inputs/create-api-key.input';
import { ApiKeyConnection } from 'src/modules/access/transport/models/api-key-connection.model';
import { ApiKey } from 'src/modules/access/transport/models/api-key.model';
import { CreatedApiKey } from 'src/modules/access/transport/models/created-api-key.model';

/** Admin API keys: list, create (the key is answered once) and revoke; for admins of every shop only. */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(
    private readonly repository: AdminApiKeyRepository,
    private readonly create: CreateApiKey,
    private readonly revoke: RevokeApiKey,
  ) {}

  @Query(() => ApiKeyConnection, { description: 'Admin API keys, newest first, revoked ones included.' })
  @RequireRole(AdminRole.Admin, { allShops: true })
  async apiKeys(@Args(new GraphqlValidationPipe()) args: PageArgs): Promise<ApiKeyConnection> {
    const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after);
    if (after === null) {
      throw new GraphqlClientError('after is not a cursor returned by this API', 'BAD_USER_INPUT');
    }
    return ApiKeyConnection.fromPage(toPage(await this.repository.list(args.first + 1, after), args.first));
  }

  @Mutation(() => CreatedApiKey, { description: 'Issues a key with a role and optional shops; the key is shown once.' })
  @RequireRole(AdminRole.Admin, { allShops: true })
  async createApiKey(
    @Args('input', new GraphqlValidationPipe()) input: CreateApiKeyInput,
    @Caller() caller: AdminCaller,
  ): Promise<CreatedApiKey> {
    const created = await this.create.execute(
      { name: input.name, role: input.role as string as AdminRole, shops: input.shops ?? null },
      caller,
    );
    return { apiKey: ApiKey.fromRecord(created.apiKey), key: created.key };
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key: refused from the next request on.' })
  @RequireRole(AdminRole.Admin, { allShops: true })
  async revokeApiKey(@Args('id', { type: () => ID }) id: string, @Caller() caller: AdminCaller): Promise<ApiKey> {
    const result = await this.revoke.execute(id, caller);
    switch (result.outcome) {
      case 'revoked':
        return ApiKey.fromRecord(result.apiKey);
      case 'not_found':
        throw new GraphqlClientError('API key not found', 'NOT_FOUND');
      case 'already_revoked':
        throw new GraphqlClientError('API key was already revoked', 'CONFLICT');
      default:
        return assertNever(result, 'unexpected revoke outcome');
    }
  }
}
