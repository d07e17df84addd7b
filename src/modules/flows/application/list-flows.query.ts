import { Injectable } from '@nestjs/common';
import { FlowSchedulesReader } from 'src/modules/flows/application/flow-schedules.reader';
import { FlowShops } from 'src/modules/flows/application/flow-shops';
import { flowStates, type FlowState } from 'src/modules/flows/domain/flow';
import { FlowPauseRepository } from 'src/modules/flows/persistence/flow-pause.repository';

export type ListFlowsOutcome = { outcome: 'listed'; flows: FlowState[] } | { outcome: 'unknown_shop' };

/** Every flow of one shop: paused or running (read from the table, not a cache), and its registered schedule. */
@Injectable()
export class ListFlows {
  constructor(
    private readonly shops: FlowShops,
    private readonly repository: FlowPauseRepository,
    private readonly schedules: FlowSchedulesReader,
  ) {}

  async execute(input: { shop: string }): Promise<ListFlowsOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const [pauses, schedules] = await Promise.all([this.repository.ofShop(shop), this.schedules.read()]);
    return { outcome: 'listed', flows: flowStates(shop, pauses, schedules) };
  }
}
