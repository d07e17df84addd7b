import { Injectable } from '@nestjs/common';
import { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';

/**
 * Retention of the records of creates in doubt (the erp module's table): those settled an hour ago go, whatever the
 * retention of the histories; a lock's record of Redis losing its state stays.
 */
@Injectable()
export class PruneErpCreateDoubts {
  constructor(private readonly doubts: ErpCreateDoubtRepository) {}

  /** Returns how many records were deleted. */
  async execute(): Promise<number> {
    return this.doubts.pruneSettled();
  }
}
