import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ReplayMissingOrders } from 'src/modules/orders/application/replay-missing-orders.use-case';
import { ReportOrderGaps } from 'src/modules/orders/application/report-order-gaps.use-case';
import {
  OrderGapReportModel,
  ReplayMissingOrdersModel,
  toOrderGapReportModel,
} from 'src/modules/orders/transport/models/order-gap-report.model';
import { OrderGapReportArgs } from 'src/modules/orders/transport/order-gap-report.args';

/** The gap report (viewer) and the one call that replays its missing orders (operator). */
@Resolver()
export class OrderGapReportResolver {
  constructor(
    private readonly reportGaps: ReportOrderGaps,
    private readonly replayMissing: ReplayMissingOrders,
  ) {}

  @Query(() => OrderGapReportModel, {
    description:
      'Shopify orders created in [from, to) (Admin API) against the sales orders the ERP holds for them (read from ' +
      'the ERP): missing, duplicated (two documents for one order; never deleted), and totals that differ by more ' +
      'than the rounding tolerance. Reads only.',
  })
  // A report writes nothing: reading it is a viewer's.
  @RequireRole(AdminRole.Viewer)
  async orderGapReport(@Args(new GraphqlValidationPipe()) args: OrderGapReportArgs): Promise<OrderGapReportModel> {
    const result = await this.reportGaps.execute(args);
    switch (result.outcome) {
      case 'reported':
        return toOrderGapReportModel(result.report);
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'invalid_window':
        throw new GraphqlClientError(result.reason, 'BAD_USER_INPUT', [{ field: 'to', message: result.reason }]);
    }
  }

  @Mutation(() => ReplayMissingOrdersModel, {
    description:
      'Runs the gap report for the window and publishes every missing order into the order pipeline again (read in ' +
      'full from Shopify, one orders/create event each), so the ERP gets each once. Duplicates are only reported.',
  })
  @RequireRole(AdminRole.Operator)
  async replayMissingOrders(
    @Args(new GraphqlValidationPipe()) args: OrderGapReportArgs,
    @Actor() actor: string,
  ): Promise<ReplayMissingOrdersModel> {
    const result = await this.replayMissing.execute({ ...args, actor });
    switch (result.outcome) {
      case 'replayed':
        return { report: toOrderGapReportModel(result.report), replayed: result.replayed, gone: result.gone };
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'invalid_window':
        throw new GraphqlClientError(result.reason, 'BAD_USER_INPUT', [{ field: 'to', message: result.reason }]);
    }
  }
}
