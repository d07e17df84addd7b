import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { decodeCursor, encodeCursor } from 'src/common/pagination/cursor';
import { ActivateMappingVersion } from 'src/modules/mapping/application/activate-mapping-version.use-case';
import { GetOrderMapping } from 'src/modules/mapping/application/get-order-mapping.query';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { RollBackMappingVersion } from 'src/modules/mapping/application/roll-back-mapping-version.use-case';
import { SaveMappingVersion } from 'src/modules/mapping/application/save-mapping-version.use-case';
import type { OwnershipRule } from 'src/modules/mapping/domain/ownership-policy';
import { toDomainConfig, toVersionModel } from 'src/modules/mapping/transport/mapping-config.converter';
import { NEVER_ACTIVE, toPolicyModel, toTargetsModel } from 'src/modules/mapping/transport/mapping-views';
import {
  ActivateOrderMappingArgs,
  OrderMappingArgs,
  OrderMappingVersionsArgs,
  RollbackOrderMappingArgs,
  SaveOrderMappingArgs,
  SetOwnershipPolicyArgs,
  ShopArgs,
} from 'src/modules/mapping/transport/mapping.args';
import { MappingTargetsModel } from 'src/modules/mapping/transport/models/mapping-targets.model';
import {
  MappingVersionModel,
  MappingVersionPageModel,
} from 'src/modules/mapping/transport/models/mapping-version.model';
import { OwnershipPolicyModel } from 'src/modules/mapping/transport/models/ownership-policy.model';

const unknownShop = (): GraphqlClientError => new GraphqlClientError('unknown shop', 'NOT_FOUND');

/** Mapping configuration (versioned) and the source-of-truth policy of each shop, for operators. */
@Resolver()
export class MappingResolver {
  constructor(
    private readonly reader: MappingReader,
    private readonly get: GetOrderMapping,
    private readonly save: SaveMappingVersion,
    private readonly activate: ActivateMappingVersion,
    private readonly rollBack: RollBackMappingVersion,
    private readonly ownership: OwnershipPolicyService,
  ) {}

  @Query(() => MappingVersionModel, { description: 'A version of the shop’s mapping; the active one by default.' })
  @RequireRole(AdminRole.Viewer)
  async orderMapping(@Args(new GraphqlValidationPipe()) args: OrderMappingArgs): Promise<MappingVersionModel> {
    const result = await this.get.version(args.shop, args.version);
    switch (result.outcome) {
      case 'found':
        return toVersionModel(result.version, result.activeVersion);
      case 'not_found':
        throw new GraphqlClientError(`the shop has no mapping version ${String(args.version)}`, 'NOT_FOUND');
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Query(() => MappingVersionPageModel, { description: 'Saved versions of the shop’s mapping, newest first.' })
  @RequireRole(AdminRole.Viewer)
  async orderMappingVersions(
    @Args(new GraphqlValidationPipe()) args: OrderMappingVersionsArgs,
  ): Promise<MappingVersionPageModel> {
    const before = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after);
    if (before === null) {
      throw new GraphqlClientError('after is not a cursor returned by this API', 'BAD_USER_INPUT');
    }
    const result = await this.get.list(args.shop, args.first + 1, before === undefined ? undefined : Number(before));
    if (result.outcome === 'unknown_shop') {
      throw unknownShop();
    }
    const items = result.versions.slice(0, args.first);
    const last = items.at(-1);
    return {
      items: items.map((v) => toVersionModel(v, result.activeVersion)),
      total: result.total,
      nextCursor: result.versions.length > args.first && last !== undefined ? encodeCursor(String(last.version)) : null,
    };
  }

  @Query(() => MappingTargetsModel, { description: 'What this deployment’s ERP connector lets a mapping set.' })
  @RequireRole(AdminRole.Viewer)
  orderMappingTargets(@Args(new GraphqlValidationPipe()) _args: ShopArgs): MappingTargetsModel {
    const { connector, capabilities } = this.reader.capabilities();
    return toTargetsModel(connector, capabilities);
  }

  @Mutation(() => MappingVersionModel, {
    description:
      'Validates and saves a new immutable version of the shop’s mapping (field-level errors in ' +
      'extensions.fieldErrors); activates it when activate is true, else it is a draft.',
  })
  @RequireRole(AdminRole.Admin)
  async saveOrderMapping(
    @Args(new GraphqlValidationPipe()) args: SaveOrderMappingArgs,
    @Actor() actor: string,
  ): Promise<MappingVersionModel> {
    const result = await this.save.execute({
      shop: args.shop,
      config: toDomainConfig(args.config),
      actor,
      note: args.note ?? undefined,
      activate: args.activate,
    });
    switch (result.outcome) {
      case 'saved':
        return toVersionModel(result.version, result.active ? result.version.version : undefined);
      case 'invalid':
        throw new GraphqlClientError(
          `the mapping is invalid: ${result.errors.map((e) => `config.${e.path} ${e.message}`).join('; ')}`,
          'BAD_USER_INPUT',
          result.errors.map((e) => ({ field: `config.${e.path}`, message: e.message })),
        );
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Mutation(() => MappingVersionModel, {
    description:
      'Activates any saved version: a draft goes live (admin). An operator rolls back with rollbackOrderMapping.',
  })
  @RequireRole(AdminRole.Admin)
  async activateOrderMapping(
    @Args(new GraphqlValidationPipe()) args: ActivateOrderMappingArgs,
    @Actor() actor: string,
  ): Promise<MappingVersionModel> {
    const result = await this.activate.execute({ shop: args.shop, version: args.version, actor });
    switch (result.outcome) {
      case 'activated':
        return toVersionModel(result.version, result.version.version);
      case 'not_found':
        throw new GraphqlClientError(`the shop has no mapping version ${args.version}`, 'NOT_FOUND');
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Mutation(() => MappingVersionModel, {
    description:
      'Rolls back to a version that has been active before (absent: the one active before the current one). ' +
      'A draft that was never active is refused: it goes live through activateOrderMapping (admin).',
  })
  @RequireRole(AdminRole.Operator)
  async rollbackOrderMapping(
    @Args(new GraphqlValidationPipe()) args: RollbackOrderMappingArgs,
    @Actor() actor: string,
  ): Promise<MappingVersionModel> {
    const result = await this.rollBack.execute({ shop: args.shop, version: args.version ?? undefined, actor });
    switch (result.outcome) {
      case 'rolled_back':
        return toVersionModel(result.version, result.version.version);
      case 'never_active':
        throw new GraphqlClientError(`version ${result.version} has never been active`, 'BAD_USER_INPUT', [
          { field: 'version', message: NEVER_ACTIVE },
        ]);
      case 'nothing_to_roll_back':
        throw new GraphqlClientError('the shop has no earlier active version to roll back to', 'CONFLICT');
      case 'not_found':
        throw new GraphqlClientError(`the shop has no mapping version ${String(args.version)}`, 'NOT_FOUND');
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Query(() => OwnershipPolicyModel, { description: 'Who owns each field of each entity for this shop.' })
  @RequireRole(AdminRole.Viewer)
  async ownershipPolicy(@Args(new GraphqlValidationPipe()) args: ShopArgs): Promise<OwnershipPolicyModel> {
    const policy = await this.ownership.read(args.shop);
    if (policy === undefined) {
      throw unknownShop();
    }
    return toPolicyModel(policy);
  }

  @Mutation(() => OwnershipPolicyModel, {
    description: 'Changes the owners of the fields named; the writers honour the change from their next run.',
  })
  @RequireRole(AdminRole.Admin)
  async setOwnershipPolicy(
    @Args(new GraphqlValidationPipe()) args: SetOwnershipPolicyArgs,
    @Actor() actor: string,
  ): Promise<OwnershipPolicyModel> {
    const rules: OwnershipRule[] = args.rules.map((r) => ({ entity: r.entity, field: r.field, owner: r.owner }));
    const result = await this.ownership.change({ shop: args.shop, rules, actor });
    switch (result.outcome) {
      case 'changed':
        return toPolicyModel(result.policy);
      case 'invalid':
        throw new GraphqlClientError(
          `the policy is invalid: ${result.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
          'BAD_USER_INPUT',
          result.errors.map((e) => ({ field: e.path, message: e.message })),
        );
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }
}
