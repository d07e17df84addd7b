import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ListFlows } from 'src/modules/flows/application/list-flows.query';
import { SetFlowPaused, type SetFlowPausedOutcome } from 'src/modules/flows/application/pause-flow.use-case';
import { toFlow } from 'src/modules/flows/transport/flow-name.enum';
import { FlowArgs, FlowsArgs, PauseFlowArgs } from 'src/modules/flows/transport/flows.args';
import { FlowStateModel, toFlowStateModel } from 'src/modules/flows/transport/models/flow-state.model';

const UNKNOWN_SHOP = (): GraphqlClientError => new GraphqlClientError('unknown shop', 'NOT_FOUND');

/** The flows of a shop for operators: read them (viewer), pause and resume them (operator). */
@Resolver(() => FlowStateModel)
export class FlowsResolver {
  constructor(
    private readonly list: ListFlows,
    private readonly setPaused: SetFlowPaused,
  ) {}

  @Query(() => [FlowStateModel], { description: 'Every flow of the shop: paused or running, and its schedule.' })
  @RequireRole(AdminRole.Viewer)
  async flows(@Args(new GraphqlValidationPipe()) args: FlowsArgs): Promise<FlowStateModel[]> {
    const result = await this.list.execute({ shop: args.shop });
    if (result.outcome === 'unknown_shop') {
      throw UNKNOWN_SHOP();
    }
    return result.flows.map(toFlowStateModel);
  }

  @Mutation(() => FlowStateModel, {
    description: 'Pauses one flow of the shop: its messages are kept and nothing of it runs until resumed.',
  })
  @RequireRole(AdminRole.Operator)
  async pauseFlow(
    @Args(new GraphqlValidationPipe()) args: PauseFlowArgs,
    @Actor() actor: string,
  ): Promise<FlowStateModel> {
    return stateOf(
      await this.setPaused.execute({
        shop: args.shop,
        flow: toFlow(args.flow),
        paused: true,
        actor,
        reason: args.reason,
      }),
    );
  }

  @Mutation(() => FlowStateModel, { description: 'Resumes one flow of the shop: what it kept is processed.' })
  @RequireRole(AdminRole.Operator)
  async resumeFlow(@Args(new GraphqlValidationPipe()) args: FlowArgs, @Actor() actor: string): Promise<FlowStateModel> {
    return stateOf(await this.setPaused.execute({ shop: args.shop, flow: toFlow(args.flow), paused: false, actor }));
  }
}

function stateOf(result: SetFlowPausedOutcome): FlowStateModel {
  if (result.outcome === 'unknown_shop') {
    throw UNKNOWN_SHOP();
  }
  return toFlowStateModel(result.state);
}
