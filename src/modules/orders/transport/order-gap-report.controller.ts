import {
  Body,
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
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { fieldErrorsException, restValidationPipe } from 'src/common/http/rest-validation';
import { ReplayMissingOrders } from 'src/modules/orders/application/replay-missing-orders.use-case';
import { ReportOrderGaps } from 'src/modules/orders/application/report-order-gaps.use-case';
import {
  OrderGapReportModel,
  ReplayMissingOrdersModel,
  toOrderGapReportModel,
} from 'src/modules/orders/transport/models/order-gap-report.model';
import { OrderGapWindowDto } from 'src/modules/orders/transport/order-gap-report.args';

const invalidWindow = (reason: string) => fieldErrorsException(reason, [{ field: 'to', message: reason }]);

/** The same gap report and replay as the GraphQL API (`orderGapReport`, `replayMissingOrders`), for Swagger. */
@AdminApi('orders')
@ApiNotFoundResponse({ description: 'Unknown shop.' })
@ApiBadRequestResponse({
  description: 'from/to missing or not timestamps, to not after from, or a window over 31 days.',
})
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop/orders/gap-report')
export class OrderGapReportController {
  constructor(
    private readonly reportGaps: ReportOrderGaps,
    private readonly replayMissing: ReplayMissingOrders,
  ) {}

  @Get()
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({
    summary: 'Shopify orders of a window against the ERP’s documents: missing, duplicated, totals that differ',
    description:
      'Lists the orders created in [from, to) through the Shopify Admin API and the sales orders the ERP holds for ' +
      'them, read from the ERP itself. Reads only; duplicates are reported, never deleted.',
  })
  @ApiOkResponse({ type: OrderGapReportModel })
  async report(@Param('shop') shop: string, @Query() window: OrderGapWindowDto): Promise<OrderGapReportModel> {
    const result = await this.reportGaps.execute({ shop, ...window });
    switch (result.outcome) {
      case 'reported':
        return toOrderGapReportModel(result.report);
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'invalid_window':
        throw invalidWindow(result.reason);
    }
  }

  @Post('replay-missing')
  @RequireRole(AdminRole.Operator)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Replay the orders the ERP is missing in a window, in one call',
    description:
      'Runs the report, then publishes each missing order into the order pipeline again (one orders/create ' +
      'event, read in full from Shopify), so the ERP gets each once.',
  })
  @ApiOkResponse({ type: ReplayMissingOrdersModel })
  async replay(
    @Param('shop') shop: string,
    @Body() window: OrderGapWindowDto,
    @Actor() actor: string,
  ): Promise<ReplayMissingOrdersModel> {
    const result = await this.replayMissing.execute({ shop, ...window, actor });
    switch (result.outcome) {
      case 'replayed':
        return { report: toOrderGapReportModel(result.report), replayed: result.replayed, gone: result.gone };
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'invalid_window':
        throw invalidWindow(result.reason);
    }
  }
}
