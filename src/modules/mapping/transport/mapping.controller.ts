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
  ParseIntPipe,
  Post,
  Put,
  Query,
  UsePipes,
} from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { fieldErrorsException, restValidationPipe } from 'src/common/http/rest-validation';
import { decodeCursor, encodeCursor } from 'src/common/pagination/cursor';
import { ActivateMappingVersion } from 'src/modules/mapping/application/activate-mapping-version.use-case';
import { GetOrderMapping } from 'src/modules/mapping/application/get-order-mapping.query';
import { MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { RollBackMappingVersion } from 'src/modules/mapping/application/roll-back-mapping-version.use-case';
import { SaveMappingVersion } from 'src/modules/mapping/application/save-mapping-version.use-case';
import {
  FieldErrorsResponse,
  ListMappingVersionsQuery,
  RollbackOrderMappingBody,
  SaveOrderMappingBody,
  SetOwnershipPolicyBody,
} from 'src/modules/mapping/transport/dto/mapping-rest.dto';
import { toDomainConfig, toVersionModel } from 'src/modules/mapping/transport/mapping-config.converter';
import { NEVER_ACTIVE, toPolicyModel, toTargetsModel } from 'src/modules/mapping/transport/mapping-views';
import { MappingTargetsModel } from 'src/modules/mapping/transport/models/mapping-targets.model';
import {
  MappingVersionModel,
  MappingVersionPageModel,
} from 'src/modules/mapping/transport/models/mapping-version.model';
import { OwnershipPolicyModel } from 'src/modules/mapping/transport/models/ownership-policy.model';

const unknownShop = (): NotFoundException => new NotFoundException('unknown shop');

/** The same mapping and source-of-truth operations as the GraphQL API, for operators working from Swagger. */
@AdminApi('mapping')
@ApiNotFoundResponse({ description: 'Unknown shop, or no such version.' })
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop')
export class MappingController {
  constructor(
    private readonly reader: MappingReader,
    private readonly get: GetOrderMapping,
    private readonly save: SaveMappingVersion,
    private readonly activate: ActivateMappingVersion,
    private readonly rollBack: RollBackMappingVersion,
    private readonly ownership: OwnershipPolicyService,
  ) {}

  @Get('mapping')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'The shop’s active mapping version' })
  @ApiOkResponse({ type: MappingVersionModel })
  async active(@Param('shop') shop: string): Promise<MappingVersionModel> {
    return this.version(shop, undefined);
  }

  @Get('mapping/targets')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'What the ERP connector lets a mapping set (sections, fields, custom fields)' })
  @ApiOkResponse({ type: MappingTargetsModel })
  targets(): MappingTargetsModel {
    const { connector, capabilities } = this.reader.capabilities();
    return toTargetsModel(connector, capabilities);
  }

  @Get('mapping/versions')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'Saved versions of the shop’s mapping, newest first' })
  @ApiOkResponse({ type: MappingVersionPageModel })
  async versions(
    @Param('shop') shop: string,
    @Query() query: ListMappingVersionsQuery,
  ): Promise<MappingVersionPageModel> {
    const before = query.after === undefined ? undefined : decodeCursor(query.after);
    if (before === null) {
      throw new BadRequestException('after is not a cursor returned by this API');
    }
    const result = await this.get.list(shop, query.first + 1, before === undefined ? undefined : Number(before));
    if (result.outcome === 'unknown_shop') {
      throw unknownShop();
    }
    const items = result.versions.slice(0, query.first);
    const last = items.at(-1);
    return {
      items: items.map((v) => toVersionModel(v, result.activeVersion)),
      total: result.total,
      nextCursor:
        result.versions.length > query.first && last !== undefined ? encodeCursor(String(last.version)) : null,
    };
  }

  @Get('mapping/versions/:version')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'One saved version of the shop’s mapping' })
  @ApiOkResponse({ type: MappingVersionModel })
  async one(
    @Param('shop') shop: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<MappingVersionModel> {
    return this.version(shop, version);
  }

  @Post('mapping/versions')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Validate and save a new version (a draft unless activate is true)' })
  @ApiOkResponse({ type: MappingVersionModel })
  @ApiBadRequestResponse({ type: FieldErrorsResponse, description: 'Invalid: each problem at its field path.' })
  async saveVersion(
    @Param('shop') shop: string,
    @Body() body: SaveOrderMappingBody,
    @Actor() actor: string,
  ): Promise<MappingVersionModel> {
    const result = await this.save.execute({
      shop,
      config: toDomainConfig(body.config),
      actor,
      note: body.note,
      activate: body.activate,
    });
    switch (result.outcome) {
      case 'saved':
        return toVersionModel(result.version, result.active ? result.version.version : undefined);
      case 'invalid':
        throw fieldErrorsException(
          'the mapping is invalid',
          result.errors.map((e) => ({ field: `config.${e.path}`, message: e.message })),
        );
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Post('mapping/versions/:version/activate')
  @RequireRole(AdminRole.Admin)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Activate any saved version: a draft goes live (admin; operators use …/mapping/rollback)' })
  @ApiOkResponse({ type: MappingVersionModel })
  async activateVersion(
    @Param('shop') shop: string,
    @Param('version', ParseIntPipe) version: number,
    @Actor() actor: string,
  ): Promise<MappingVersionModel> {
    const result = await this.activate.execute({ shop, version, actor });
    switch (result.outcome) {
      case 'activated':
        return toVersionModel(result.version, result.version.version);
      case 'not_found':
        throw new NotFoundException(`the shop has no mapping version ${version}`);
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Post('mapping/rollback')
  @RequireRole(AdminRole.Operator)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Roll back to a version that has been active (default: the one before the current); never a draft',
  })
  @ApiOkResponse({ type: MappingVersionModel })
  @ApiBadRequestResponse({ type: FieldErrorsResponse, description: 'The version has never been active.' })
  async rollbackVersion(
    @Param('shop') shop: string,
    @Body() body: RollbackOrderMappingBody,
    @Actor() actor: string,
  ): Promise<MappingVersionModel> {
    const result = await this.rollBack.execute({ shop, version: body.version, actor });
    switch (result.outcome) {
      case 'rolled_back':
        return toVersionModel(result.version, result.version.version);
      case 'never_active':
        throw fieldErrorsException(`version ${result.version} has never been active`, [
          { field: 'version', message: NEVER_ACTIVE },
        ]);
      case 'nothing_to_roll_back':
        throw new ConflictException('the shop has no earlier active version to roll back to');
      case 'not_found':
        throw new NotFoundException(`the shop has no mapping version ${String(body.version)}`);
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  @Get('ownership-policy')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'Who owns each field of each entity for this shop' })
  @ApiOkResponse({ type: OwnershipPolicyModel })
  async policy(@Param('shop') shop: string): Promise<OwnershipPolicyModel> {
    const policy = await this.ownership.read(shop);
    if (policy === undefined) {
      throw unknownShop();
    }
    return toPolicyModel(policy);
  }

  @Put('ownership-policy')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Change the owners of the fields named (others keep theirs)' })
  @ApiOkResponse({ type: OwnershipPolicyModel })
  @ApiBadRequestResponse({ type: FieldErrorsResponse, description: 'Invalid: each problem at its field path.' })
  async setPolicy(
    @Param('shop') shop: string,
    @Body() body: SetOwnershipPolicyBody,
    @Actor() actor: string,
  ): Promise<OwnershipPolicyModel> {
    const rules = body.rules.map((r) => ({ entity: r.entity, field: r.field, owner: r.owner }));
    const result = await this.ownership.change({ shop, rules, actor });
    switch (result.outcome) {
      case 'changed':
        return toPolicyModel(result.policy);
      case 'invalid':
        throw fieldErrorsException(
          'the policy is invalid',
          result.errors.map((e) => ({ field: e.path, message: e.message })),
        );
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }

  private async version(shop: string, version: number | undefined): Promise<MappingVersionModel> {
    const result = await this.get.version(shop, version);
    switch (result.outcome) {
      case 'found':
        return toVersionModel(result.version, result.activeVersion);
      case 'not_found':
        throw new NotFoundException(`the shop has no mapping version ${String(version)}`);
      case 'unknown_shop':
        throw unknownShop();
      default:
        return assertNever(result);
    }
  }
}
