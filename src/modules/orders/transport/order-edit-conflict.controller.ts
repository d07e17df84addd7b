import {
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
  UsePipes,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { fieldErrorsBadRequest, restValidationPipe } from 'src/common/http/rest-validation';
import { ListOrderEditConflicts } from 'src/modules/orders/application/list-order-edit-conflicts.query';
import { ResolveOrderEditConflict } from 'src/modules/orders/application/resolve-order-edit-conflict.use-case';
import { OrderEditConflictModel } from 'src/modules/orders/transport/models/order-edit-conflict.model';
import {
  CONFLICT_ID_PATTERN,
  ListOrderEditConflictsQuery,
  OrderEditConflictState,
  ResolveOrderEditConflictBody,
} from 'src/modules/orders/transport/order-edit-conflict.args';
import { toOrderEditConflictModel } from 'src/modules/orders/transport/order-edit-conflict.views';

/** The same list and resolve as the GraphQL API (`orderEditConflicts`, `resolveOrderEditConflict`), for Swagger. */
@AdminApi('order-edit-conflicts', "The key's role or shops do not allow this (resolving needs operator).")
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop/order-edit-conflicts')
export class OrderEditConflictController {
  constructor(
    private readonly list: ListOrderEditConflicts,
    private readonly resolveConflict: ResolveOrderEditConflict,
  ) {}

  @Get()
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({
    summary: 'Order edits the ERP could not take',
    description:
      'Edits of orders (quantities, added or removed lines, shipping) that were not applied because the ERP had ' +
      'already shipped or invoiced the order: what changed and what the ERP reported. Open ones by default, newest ' +
      'first.',
  })
  @ApiOkResponse({ type: [OrderEditConflictModel] })
  async conflicts(
    @Param('shop') shop: string,
    @Query() query: ListOrderEditConflictsQuery,
  ): Promise<OrderEditConflictModel[]> {
    const records = await this.list.execute({
      shop,
      state: query.state ?? OrderEditConflictState.OPEN,
      limit: query.limit ?? 100,
    });
    return records.map(toOrderEditConflictModel);
  }

  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({
    summary: 'Resolve (acknowledge) an edit conflict',
    description:
      'The operator dealt with the edit in the ERP, or decided not to; the conflict is closed with who and when.',
  })
  @ApiOkResponse({ type: OrderEditConflictModel })
  @ApiBadRequestResponse({ description: 'Not an edit conflict id, or a note over 1000 characters.' })
  @ApiNotFoundResponse({ description: 'No such conflict in this shop.' })
  @ApiConflictResponse({ description: 'The conflict was resolved already.' })
  async resolve(
    @Param('shop') shop: string,
    @Param('id') id: string,
    @Body() body: ResolveOrderEditConflictBody,
    @Actor() actor: string,
  ): Promise<OrderEditConflictModel> {
    if (!CONFLICT_ID_PATTERN.test(id)) {
      throw fieldErrorsBadRequest([{ field: 'id', message: 'must be an edit conflict id' }]);
    }
    const result = await this.resolveConflict.execute({ shop, id, actor, note: body.note });
    switch (result.outcome) {
      case 'resolved':
        return toOrderEditConflictModel(result.conflict);
      case 'not_found':
        throw new NotFoundException('unknown edit conflict');
      case 'already_resolved':
        throw new ConflictException('the edit conflict was resolved already');
      default:
        return assertNever(result);
    }
  }
}
