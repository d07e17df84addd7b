import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseEnumPipe,
  Post,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
} from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { ListFlows } from 'src/modules/flows/application/list-flows.query';
import { SetFlowPaused, type SetFlowPausedOutcome } from 'src/modules/flows/application/pause-flow.use-case';
import { FlowValue, toFlow } from 'src/modules/flows/transport/flow-name.enum';
import { FlowStateModel, toFlowStateModel } from 'src/modules/flows/transport/models/flow-state.model';

export class PauseFlowBody {
  @ApiProperty({ required: false, maxLength: 500, example: 'ERP month-end close' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

const FLOW_PARAM = { name: 'flow', enum: Object.values(FlowValue), example: 'orders' };
const flowPipe = new ParseEnumPipe(FlowValue);

/** The same flow operations as the GraphQL API (`flows`, `pauseFlow`, `resumeFlow`), for operators in Swagger. */
@AdminApi('flows')
@ApiNotFoundResponse({ description: 'Unknown shop.' })
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
@Controller('admin/shops/:shop/flows')
export class FlowsController {
  constructor(
    private readonly list: ListFlows,
    private readonly setPaused: SetFlowPaused,
  ) {}

  @Get()
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'Every flow of the shop: paused or running, and its schedule' })
  @ApiOkResponse({ type: [FlowStateModel] })
  async flows(@Param('shop') shop: string): Promise<FlowStateModel[]> {
    const result = await this.list.execute({ shop });
    if (result.outcome === 'unknown_shop') {
      throw new NotFoundException('unknown shop');
    }
    return result.flows.map(toFlowStateModel);
  }

  @Post(':flow/pause')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiParam(FLOW_PARAM)
  @ApiOperation({
    summary: 'Pause one flow of the shop',
    description:
      'Its messages are kept and nothing of it runs for this shop until it is resumed; workers and schedulers ' +
      'honour it within seconds. Pausing a paused flow keeps who paused it first.',
  })
  @ApiOkResponse({ type: FlowStateModel })
  @ApiBadRequestResponse({ description: 'Unknown flow, or a reason over 500 characters.' })
  async pause(
    @Param('shop') shop: string,
    @Param('flow', flowPipe) flow: FlowValue,
    @Body() body: PauseFlowBody,
    @Actor() actor: string,
  ): Promise<FlowStateModel> {
    return stateOf(
      await this.setPaused.execute({ shop, flow: toFlow(flow), paused: true, actor, reason: body.reason ?? null }),
    );
  }

  @Post(':flow/resume')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiParam(FLOW_PARAM)
  @ApiOperation({ summary: 'Resume one flow of the shop: what it kept is processed' })
  @ApiOkResponse({ type: FlowStateModel })
  @ApiBadRequestResponse({ description: 'Unknown flow.' })
  async resume(
    @Param('shop') shop: string,
    @Param('flow', flowPipe) flow: FlowValue,
    @Actor() actor: string,
  ): Promise<FlowStateModel> {
    return stateOf(await this.setPaused.execute({ shop, flow: toFlow(flow), paused: false, actor }));
  }
}

function stateOf(result: SetFlowPausedOutcome): FlowStateModel {
  if (result.outcome === 'unknown_shop') {
    throw new NotFoundException('unknown shop');
  }
  return toFlowStateModel(result.state);
}
