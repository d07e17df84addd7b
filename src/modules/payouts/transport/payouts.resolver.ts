import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { ReadPayouts } from 'src/modules/payouts/application/read-payouts.query';
import { PayoutModel, toPayoutModel } from 'src/modules/payouts/transport/models/payout.model';
import { PayoutsArgs } from 'src/modules/payouts/transport/payouts.args';

/** The payouts read, their ERP deposits and variance reports (viewer). */
@Resolver()
export class PayoutsResolver {
  constructor(private readonly readPayouts: ReadPayouts) {}

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
}
