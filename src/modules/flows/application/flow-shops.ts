import { Injectable } from '@nestjs/common';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';

/** The shops whose flows can be paused: those of the shops module, named by their myshopify domain. */
@Injectable()
export class FlowShops {
  constructor(private readonly directory: ShopDirectory) {}

  /** The canonical shop key (trimmed, lower case), or undefined when the deployment has no such shop. */
  async resolve(shop: string): Promise<string | undefined> {
    const domain = normalizeShopDomain(shop);
    return domain === undefined || (await this.directory.find(domain)) === undefined ? undefined : domain;
  }
}
