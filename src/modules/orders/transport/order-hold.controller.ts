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
  ApiParam,
} from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { fieldErrorsBadRequest, restValidationPipe } from 'src/common/http/rest-validation';
import { ReadHeldOrders } from 'src/modules/orders/application/read-held-orders.query';
import { SettleOrderHold, type SettleOrderHoldResult } from 'src/modules/orders/application/settle-order-hold.use-case';
import { ORDER_ID_PATTERN } from 'src/modules/orders/domain/order-replay';
import {
  HeldOrderPageModel,
  OrderHoldSettlementModel,
  toHeldOrderModel,
  toSettlementModel,
} from 'src/modules/orders/transport/models/order-hold.model';
import { HeldOrdersQuery, SettleOrderHoldBody } from 'src/modules/orders/transport/order-hold.args';

/** The same held-order operations as the GraphQL API (`heldOrders`, `releaseHeldOrder`, `cancelHeldOrder`). */
@AdminApi('held orders', "The key's role or shops do not allow this (release and cancel need operator).")
@ApiNotFoundResponse({ description: 'Unknown shop, or no hold for this order.' })
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop/held-orders')
export class OrderHoldController {
  constructor(
    private readonly read: ReadHeldOrders,
    private readonly settle: SettleOrderHold,
  ) {}

  @Get()
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({
    summary: 'Orders held before their first ERP write, oldest first',
    description: 'Held (default), released or cancelled holds of the shop, page by page (nextCursor → after).',
  })
  @ApiOkResponse({ type: HeldOrderPageModel })
  async list(@Param('shop') shop: string, @Query() query: HeldOrdersQuery): Promise<HeldOrderPageModel> {
    const page = await this.read.execute({ shop, status: query.status, first: query.first ?? 50, after: query.after });
    if (page === null) {
      throw new NotFoundException('unknown shop');
    }
    return { nodes: page.holds.map(toHeldOrderModel), nextCursor: page.nextCursor };
  }

  @Post(':orderId/release')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiParam({ name: 'orderId', example: '5123456789', description: 'Shopify order id (legacy id or GID).' })
  @ApiOperation({
    summary: 'Release a held order: write it to the ERP now',
    description:
      'Reads the order in full from Shopify and sends it through the order pipeline, written as if its trigger had ' +
      'just fired. If the publish fails the order stays held (and the answer is an error).',
  })
  @ApiOkResponse({ type: OrderHoldSettlementModel })
  @ApiBadRequestResponse({ description: 'Not a Shopify order id, or a bad note.' })
  @ApiConflictResponse({ description: 'The hold was released or cancelled already.' })
  async release(
    @Param('shop') shop: string,
    @Param('orderId') orderId: string,
    @Body() body: SettleOrderHoldBody,
    @Actor() actor: string,
  ): Promise<OrderHoldSettlementModel> {
    return this.settleOne(shop, orderId, 'release', actor, body.note);
  }

  @Post(':orderId/cancel')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiParam({ name: 'orderId', example: '5123456789', description: 'Shopify order id (legacy id or GID).' })
  @ApiOperation({
    summary: 'Cancel a hold: the order stays out of the ERP',
    description: 'Recorded with the operator’s name; later webhooks of the order are not written either.',
  })
  @ApiOkResponse({ type: OrderHoldSettlementModel })
  @ApiBadRequestResponse({ description: 'Not a Shopify order id, or a bad note.' })
  @ApiConflictResponse({ description: 'The hold was released or cancelled already.' })
  async cancel(
    @Param('shop') shop: string,
    @Param('orderId') orderId: string,
    @Body() body: SettleOrderHoldBody,
    @Actor() actor: string,
  ): Promise<OrderHoldSettlementModel> {
    return this.settleOne(shop, orderId, 'cancel', actor, body.note);
  }

  private async settleOne(
    shop: string,
    orderId: string,
    action: 'release' | 'cancel',
    actor: string,
    note: string | undefined,
  ): Promise<OrderHoldSettlementModel> {
    if (!ORDER_ID_PATTERN.test(orderId)) {
      throw fieldErrorsBadRequest([{ field: 'orderId', message: 'must be a Shopify order id' }]);
    }
    return settlementOf(await this.settle.execute({ shop, orderId, action, actor, note }));
  }
}

function settlementOf(result: SettleOrderHoldResult): OrderHoldSettlementModel {
  switch (result.outcome) {
    case 'released':
    case 'cancelled':
      return toSettlementModel(result);
    case 'not_found':
      throw new NotFoundException('no hold for this order');
    case 'already_settled':
      throw new ConflictException(`the hold was ${result.hold.status} already by ${result.hold.settledBy ?? '?'}`);
    default:
      return assertNever(result);
  }
}
