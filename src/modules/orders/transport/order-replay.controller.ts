import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UsePipes,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { fieldErrorsBadRequest, restValidationPipe } from 'src/common/http/rest-validation';
import { ReadOrderReplay } from 'src/modules/orders/application/read-order-replay.query';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import { StartOrderReplay } from 'src/modules/orders/application/start-order-replay.use-case';
import { ORDER_ID_PATTERN } from 'src/modules/orders/domain/order-replay';
import { OrderReplayModel, OrderResyncModel } from 'src/modules/orders/transport/models/order-replay.model';
import { ResyncOrderBody, StartOrderReplayBody } from 'src/modules/orders/transport/order-replay.args';
import { REPLAY_PROBLEMS } from 'src/modules/orders/transport/order-replay.problems';
import { toOrderReplayModel, toOrderResyncModel } from 'src/modules/orders/transport/order-replay.views';

/** The same re-sync and replays as the GraphQL API (`resyncOrder`, `startOrderReplay`, `orderReplay`), for Swagger. */
@AdminApi('replay', "The key's role or shops do not allow this (re-sync and replays need operator).")
@ApiNotFoundResponse({ description: 'Unknown shop or replay.' })
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop')
export class OrderReplayController {
  constructor(
    private readonly replayOrders: ReplayOrders,
    private readonly startReplay: StartOrderReplay,
    private readonly readReplay: ReadOrderReplay,
  ) {}

  @Post('orders/:orderId/resync')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiParam({ name: 'orderId', example: '5123456789', description: 'Shopify order id (legacy id or GID).' })
  @ApiOperation({
    summary: 'Re-sync one order now',
    description:
      'Reads the order in full from Shopify and sends it through the order pipeline (partition, inbox, ERP upsert ' +
      'by external id). Without force, an order the ERP has at this version is left as it is; with force it is ' +
      'written again to the same ERP document.',
  })
  @ApiOkResponse({ type: OrderResyncModel })
  @ApiBadRequestResponse({ description: 'Not a Shopify order id.' })
  async resync(
    @Param('shop') shop: string,
    @Param('orderId') orderId: string,
    @Body() body: ResyncOrderBody,
    @Actor() actor: string,
  ): Promise<OrderResyncModel> {
    if (!ORDER_ID_PATTERN.test(orderId)) {
      throw fieldErrorsBadRequest([{ field: 'orderId', message: 'must be a Shopify order id' }]);
    }
    const force = body.force === true;
    const result = await this.replayOrders.execute({ shop, orderIds: [orderId], force, actor });
    if (result.outcome === 'unknown_shop') {
      throw new NotFoundException('unknown shop');
    }
    return toOrderResyncModel(result.shop, result.orders[0] ?? { orderId, outcome: 'not_found' }, force);
  }

  @Post('order-replays')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({
    summary: 'Replay the orders created in a date range (or given ids) in the background',
    description:
      'Each order is read from Shopify and sent through the order pipeline at a bounded rate; the ERP ends with ' +
      'each exactly once. Answers the replay (its id is the job id); follow it with GET order-replays/{id}.',
  })
  @ApiAcceptedResponse({ type: OrderReplayModel })
  @ApiBadRequestResponse({ description: 'Neither or both of a range and ids, a reversed or too wide range, bad ids.' })
  async start(
    @Param('shop') shop: string,
    @Body() body: StartOrderReplayBody,
    @Actor() actor: string,
  ): Promise<OrderReplayModel> {
    const result = await this.startReplay.execute({ shop, ...body, actor });
    switch (result.outcome) {
      case 'queued':
        return this.view(result.replay.shop, result.replay.id);
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'invalid':
        throw fieldErrorsBadRequest([REPLAY_PROBLEMS[result.problem]]);
      default:
        return assertNever(result);
    }
  }

  @Get('order-replays/:id')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'One replay: listed, published, processed by the ERP writer, and its status' })
  @ApiOkResponse({ type: OrderReplayModel })
  async replay(@Param('shop') shop: string, @Param('id', ParseUUIDPipe) id: string): Promise<OrderReplayModel> {
    return this.view(shop, id);
  }

  @Post('order-replays/:id/resume')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({ summary: 'Run a failed (or stalled) replay again, from after its last completed page' })
  @ApiAcceptedResponse({ type: OrderReplayModel })
  async resume(@Param('shop') shop: string, @Param('id', ParseUUIDPipe) id: string): Promise<OrderReplayModel> {
    const result = await this.startReplay.resume({ shop, replayId: id });
    if (result.outcome === 'not_found') {
      throw new NotFoundException('unknown replay');
    }
    return this.view(shop, id);
  }

  private async view(shop: string, id: string): Promise<OrderReplayModel> {
    const view = await this.readReplay.execute({ shop, replayId: id });
    if (view === null) {
      throw new NotFoundException('unknown replay');
    }
    return toOrderReplayModel(view);
  }
}
