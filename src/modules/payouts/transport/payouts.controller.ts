import {
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
  ApiAcceptedResponse,
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
import { restValidationPipe } from 'src/common/http/rest-validation';
import { ReadPayouts } from 'src/modules/payouts/application/read-payouts.query';
import { StartPayoutsDeposit } from 'src/modules/payouts/application/start-payouts-deposit.use-case';
import { PayoutModel, toPayoutModel } from 'src/modules/payouts/transport/models/payout.model';
import { PayoutsDepositRequest } from 'src/modules/payouts/transport/models/payouts-deposit-request.model';
import { refusalOf } from 'src/modules/payouts/transport/payouts-run.refusals';
import { PayoutsQueryDto } from 'src/modules/payouts/transport/payouts.args';

/** The same payouts list and run as the GraphQL API (`payouts`, `depositPayoutsNow`), for Swagger. */
@AdminApi('payouts', "The key's role or shops do not allow this (a run needs operator).")
@ApiNotFoundResponse({ description: 'Unknown shop.' })
@ApiBadRequestResponse({ description: 'limit not an integer in 1..200, or withVariancesOnly not true/false.' })
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop/payouts')
export class PayoutsController {
  constructor(
    private readonly readPayouts: ReadPayouts,
    private readonly startDeposit: StartPayoutsDeposit,
  ) {}

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

  @Post('run')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({
    summary: 'Deposit the shop’s payouts now',
    description:
      'Queues a run of the payouts job for this shop (the same job as the hourly schedule): its PAID payouts are ' +
      'read, and each not yet deposited is written to the ERP once — held, retrying and failed payouts at once, ' +
      'without waiting for their next attempt. Answers the queued run; follow it with GET payouts.',
  })
  @ApiAcceptedResponse({ type: PayoutsDepositRequest })
  @ApiConflictResponse({
    description: 'Payouts are off (no PAYOUTS_ERP_BANK_ACCOUNT), the shop is disabled, or its payouts flow is paused.',
  })
  async run(@Param('shop') shop: string, @Actor() actor: string): Promise<PayoutsDepositRequest> {
    const result = await this.startDeposit.execute({ shop, actor });
    if (result.outcome === 'queued') {
      return { shop: result.shop, jobId: result.jobId, queuedAt: result.queuedAt };
    }
    const refusal = refusalOf(result);
    throw refusal.code === 'NOT_FOUND'
      ? new NotFoundException(refusal.message)
      : new ConflictException(refusal.message);
  }
}
