import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ListOrderEditConflicts } from 'src/modules/orders/application/list-order-edit-conflicts.query';
import { ResolveOrderEditConflict } from 'src/modules/orders/application/resolve-order-edit-conflict.use-case';
import { OrderEditConflictModel } from 'src/modules/orders/transport/models/order-edit-conflict.model';
import {
  ListOrderEditConflictsArgs,
  ResolveOrderEditConflictArgs,
} from 'src/modules/orders/transport/order-edit-conflict.args';
import { toOrderEditConflictModel } from 'src/modules/orders/transport/order-edit-conflict.views';

/** Order edits the ERP could not take (viewer), and their resolution (operator). */
@Resolver()
export class OrderEditConflictResolver {
  constructor(
    private readonly list: ListOrderEditConflicts,
    private readonly resolveConflict: ResolveOrderEditConflict,
  ) {}

  @Query(() => [OrderEditConflictModel], {
    description:
      'Edits of the shop’s orders (quantities, lines, shipping) not applied because the ERP had already shipped or ' +
      'invoiced the order: what changed and what the ERP reported. Open ones by default, newest first.',
  })
  @RequireRole(AdminRole.Viewer)
  async orderEditConflicts(
    @Args(new GraphqlValidationPipe()) args: ListOrderEditConflictsArgs,
  ): Promise<OrderEditConflictModel[]> {
    const records = await this.list.execute({ shop: args.shop, state: args.state, limit: args.limit });
    return records.map(toOrderEditConflictModel);
  }

  @Mutation(() => OrderEditConflictModel, {
    description: 'Resolves (acknowledges) an edit conflict: the operator dealt with the edit in the ERP.',
  })
  @RequireRole(AdminRole.Operator)
  async resolveOrderEditConflict(
    @Args(new GraphqlValidationPipe()) args: ResolveOrderEditConflictArgs,
    @Actor() actor: string,
  ): Promise<OrderEditConflictModel> {
    const result = await this.resolveConflict.execute({ shop: args.shop, id: args.id, actor, note: args.note });
    switch (result.outcome) {
      case 'resolved':
        return toOrderEditConflictModel(result.conflict);
      case 'not_found':
        throw new GraphqlClientError('unknown edit conflict', 'NOT_FOUND');
      case 'already_resolved':
        throw new GraphqlClientError('the edit conflict was resolved already', 'CONFLICT');
      default:
        return assertNever(result);
    }
  }
}
