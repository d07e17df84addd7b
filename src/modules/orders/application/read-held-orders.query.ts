import { Injectable } from '@nestjs/common';
import type { OrderHoldStatus } from 'src/modules/orders/domain/order-release';
import { OrderHoldRepository, type OrderHold } from 'src/modules/orders/persistence/order-hold.repository';
import { normalizeShopDomain } from 'src/modules/shops';

/** @description One page of holds, oldest first, with the cursor of the next page (null on the last). */
export interface HeldOrdersPage {
  holds: OrderHold[];
  nextCursor: string | null;
}

/** The holds of a shop in one status (held by default), oldest first, page by page. */
@Injectable()
export class ReadHeldOrders {
  constructor(private readonly holds: OrderHoldRepository) {}

  async execute(input: {
    shop: string;
    status?: OrderHoldStatus;
    first: number;
    after?: string | null;
  }): Promise<HeldOrdersPage | null> {
    const shop = normalizeShopDomain(input.shop);
    if (shop === undefined) {
      return null;
    }
    const after = input.after === undefined || input.after === null ? undefined : decodeCursor(input.after);
    const rows = await this.holds.list({
      shops: [shop],
      status: input.status ?? 'held',
      limit: input.first + 1,
      after,
    });
    const holds = rows.slice(0, input.first);
    const last = holds[holds.length - 1];
    return { holds, nextCursor: rows.length > input.first && last !== undefined ? encodeCursor(last) : null };
  }
}

function encodeCursor(hold: OrderHold): string {
  return Buffer.from(`${hold.heldAt.toISOString()}|${hold.orderId}`, 'utf8').toString('base64url');
}

/** A cursor this query wrote; a malformed one reads as the start (it can only come from a client's mistake). */
function decodeCursor(cursor: string): { heldAt: Date; orderId: string } | undefined {
  const [at, orderId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const heldAt = new Date(at ?? '');
  return orderId === undefined || Number.isNaN(heldAt.getTime()) ? undefined : { heldAt, orderId };
}
