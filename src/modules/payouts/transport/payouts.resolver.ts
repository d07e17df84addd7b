import { Args, ArgsType, Field, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { AdminRole } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ReadPayouts } from 'src/modules/payouts/application/read-payouts.query';
import { StartPayoutsDeposit } from 'src/modules/payouts/application/start-payouts-deposit.use-case';
import { PayoutModel, toPayoutModel } from 'src/modules/payouts/transport/models/payout.model';
import { PayoutsDepositRequest } from 'src/modules/payouts/transport/models/payouts-deposit-request.model';
import { refusalOf } from 'src/modules/payouts/transport/payouts-run.refusals';
import { PayoutsArgs } from 'src/modules/payouts/transport/payouts.args';

@ArgsType()
export class DepositPayoutsNowArgs {
  @Field({ description: 'The shop’s myshopify domain, e.g. example.myshopify.com.' })
  @IsString()
  @MaxLength(255)
  shop!: string;
}

/** The payouts read, their ERP deposits and variance reports (viewer); an operator's run now (`depositPayoutsNow`). */
@Resolver()
export class PayoutsResolver {
  constructor(
    private readonly readPayouts: ReadPayouts,
    private readonly startDeposit: StartPayoutsDeposit,
  ) {}

  @Query(() => [PayoutModel], {
    description:
      'Shopify Payments payouts read for the shop, newest first: the ERP deposit written (lines), its state, and ' +
      'the variance report (payout transactions of orders never synced, or whose amounts differ). Reads only.',
  })
  @RequireRole(AdminRole.Viewer)
  async payouts(@Args(new GraphqlValidationPipe()) args: PayoutsArgs): Promise<PayoutModel[]> {
    const result = await this.readPayouts.execute(args);
    switch (result.outcome) {
      case 'listed':
        return result.payouts.map(toPayoutModel);
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
    }
  }

  @Mutation(() => PayoutsDepositRequest, {
    description:
      "Queues a run of the shop's payouts job now (the same job as the hourly schedule): PAID payouts not yet " +
      'deposited are written to the ERP once, held, retrying and failed ones at once. CONFLICT while payouts are ' +
      'off, the shop is disabled or its payouts flow is paused.',
  })
  @RequireRole(AdminRole.Operator)
  async depositPayoutsNow(
    @Args(new GraphqlValidationPipe()) args: DepositPayoutsNowArgs,
    @Actor() actor: string,
  ): Promise<PayoutsDepositRequest> {
    const result = await this.startDeposit.execute({ shop: args.shop, actor });
    if (result.outcome === 'queued') {
      return { shop: result.shop, jobId: result.jobId, queuedAt: result.queuedAt };
    }
    const refusal = refusalOf(result);
    throw new GraphqlClientError(refusal.message, refusal.code);
  }
}
