import { Injectable, Logger } from '@nestjs/common';
import { FlowPauses } from 'src/modules/flows/application/flow-pauses.service';
import { FlowShops } from 'src/modules/flows/application/flow-shops';
import { ListFlows } from 'src/modules/flows/application/list-flows.query';
import type { Flow, FlowState } from 'src/modules/flows/domain/flow';
import { FlowPauseRepository } from 'src/modules/flows/persistence/flow-pause.repository';

export interface SetFlowPausedInput {
  shop: string;
  flow: Flow;
  /** True pauses, false resumes. */
  paused: boolean;
  actor: string;
  reason?: string | null;
}

export type SetFlowPausedOutcome = { outcome: 'changed'; state: FlowState } | { outcome: 'unknown_shop' };

/**
 * Pauses or resumes one flow of one shop. Idempotent: pausing a paused flow keeps who paused it first, resuming a
 * running flow changes nothing. Workers and schedulers honour it within FLOW_PAUSES_MAX_AGE_MS.
 */
@Injectable()
export class SetFlowPaused {
  private readonly logger = new Logger(SetFlowPaused.name);

  constructor(
    private readonly shops: FlowShops,
    private readonly repository: FlowPauseRepository,
    private readonly pauses: FlowPauses,
    private readonly list: ListFlows,
  ) {}

  async execute(input: SetFlowPausedInput): Promise<SetFlowPausedOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    if (input.paused) {
      await this.repository.pause(shop, input.flow, input.actor, input.reason ?? null);
    } else {
      await this.repository.resume(shop, input.flow);
    }
    this.pauses.invalidate();
    this.logger.log({ shop, flow: input.flow, actor: input.actor }, input.paused ? 'flow paused' : 'flow resumed');
    const listed = await this.list.execute({ shop });
    const state = listed.outcome === 'listed' ? listed.flows.find((f) => f.flow === input.flow) : undefined;
    return state === undefined ? { outcome: 'unknown_shop' } : { outcome: 'changed', state };
  }
}
