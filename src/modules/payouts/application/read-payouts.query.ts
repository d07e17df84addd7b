import { Injectable } from '@nestjs/common';
import { ShopifyPayoutRepository, type PayoutRecord } from 'src/modules/payouts/persistence/shopify-payout.repository';
import { ShopDirectory, normalizeShopDomain } from 'src/modules/shops';

export type ReadPayoutsResult = { outcome: 'listed'; payouts: PayoutRecord[] } | { outcome: 'unknown_shop' };

const DEFAULT_LIMIT = 50;

/** The payouts read for a shop, newest first, with their deposit and variance report (the operators' view). */
@Injectable()
export class ReadPayouts {
  constructor(
    private readonly repository: ShopifyPayoutRepository,
    private readonly shops: ShopDirectory,
  ) {}

  async execute(input: { shop: string; withVariancesOnly?: boolean; limit?: number }): Promise<ReadPayoutsResult> {
    const domain = normalizeShopDomain(input.shop);
    if (domain === undefined || (this.shops.get(domain) ?? (await this.shops.find(domain))) === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const payouts = await this.repository.list({
      shop: domain,
      withVariancesOnly: input.withVariancesOnly,
      limit: input.limit ?? DEFAULT_LIMIT,
    });
    return { outcome: 'listed', payouts };
  }
}
