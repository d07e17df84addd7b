import { Inject, Injectable } from '@nestjs/common';
import { ERP_PORTS_BY_SCOPE, type ErpPort, type ErpPortsByScope } from 'src/modules/erp';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { ShopDirectory } from 'src/modules/shops';

/**
 * The ERP port of a message's shop: its ERP scope (NetSuite subsidiary and location, Business Central company, Cin7
 * location) from the in-memory shops, read again from PostgreSQL only for a shop not known here yet.
 */
@Injectable()
export class ShopErp {
  constructor(
    @Inject(ERP_PORTS_BY_SCOPE) private readonly erps: ErpPortsByScope,
    private readonly shops: ShopDirectory,
  ) {}

  async for(shop: string): Promise<ErpPort> {
    const known = this.shops.get(shop) ?? (await this.shops.find(shop));
    if (known === undefined) {
      throw new OrderError(OrderErrorCode.UnknownShop, `shop ${shop} is not in the shops table`);
    }
    return this.erps.for(known.erpScope);
  }
}
