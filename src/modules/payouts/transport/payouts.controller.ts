import { Controller, Get, NotFoundException, Param, Query, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { restValidationPipe } from 'src/common/http/rest-validation';
import { ReadPayouts } from 'src/modules/payouts/application/read-payouts.query';
import { PayoutModel, toPayoutModel } from 'src/modules/payouts/transport/models/payout.model';
import { PayoutsQueryDto } from 'src/modules/payouts/transport/payouts.args';

/** The same payouts list as the GraphQL API (`payouts`), for Swagger. */
@AdminApi('payouts')
@ApiNotFoundResponse({ description: 'Unknown shop.' })
@ApiBadRequestResponse({ description: 'limit not an integer in 1..200, or withVariancesOnly not true/false.' })
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop/payouts')
export class PayoutsController {
  constructor(private readonly readPayouts: ReadPayouts) {}

  @Get()
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({
    summary: 'Shopify Payments payouts, their ERP deposits and variance reports',
    description:
      'The payouts read for the shop, newest first, with the deposit lines written to the ERP, the state ' +
      '(deposited, retry, held, failed) and the variance report against the orders the middleware synced.',
  })
  @ApiOkResponse({ type: [PayoutModel] })
  async list(@Param('shop') shop: string, @Query() query: PayoutsQueryDto): Promise<PayoutModel[]> {
    const result = await this.readPayouts.execute({ shop, ...query });
    switch (result.outcome) {
      case 'listed':
        return result.payouts.map(toPayoutModel);
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
    }
  }
}
