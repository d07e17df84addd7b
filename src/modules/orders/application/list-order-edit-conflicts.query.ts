import { Injectable } from '@nestjs/common';
import {
  OrderEditConflictRepository,
  type OrderEditConflictQuery,
  type OrderEditConflictRecord,
} from 'src/modules/orders/persistence/order-edit-conflict.repository';

/** @description The order edits a shop's ERP could not take (open ones by default), newest first. */
@Injectable()
export class ListOrderEditConflicts {
  constructor(private readonly conflicts: OrderEditConflictRepository) {}

  execute(query: OrderEditConflictQuery & { shop: string }): Promise<OrderEditConflictRecord[]> {
    return this.conflicts.list(query);
  }
}
