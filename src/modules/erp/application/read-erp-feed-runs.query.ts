import { Injectable } from '@nestjs/common';
import { ErpChangeRepository, type ErpFeedRun } from 'src/modules/erp/persistence/erp-change.repository';

/** How the reads of the ERP's changes (items, prices, stock, shipments) fare: the alert rule on a lagging ERP feed. */
@Injectable()
export class ReadErpFeedRuns {
  constructor(private readonly repository: ErpChangeRepository) {}

  execute(connector: string): Promise<ErpFeedRun[]> {
    return this.repository.feedRuns(connector);
  }
}
