import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Flow, FlowPause } from 'src/modules/flows/domain/flow';
import { FlowPauseRepository } from 'src/modules/flows/persistence/flow-pause.repository';

/** How stale a process's view of the pauses may be: a pause or a resume is honoured within this. */
export const FLOW_PAUSES_MAX_AGE_MS = 2_000;

/**
 * @description What workers and schedulers ask before consuming or running a shop's flow. The pauses are a few
 * rows, read at most once per FLOW_PAUSES_MAX_AGE_MS per process (concurrent askers share the read). While
 * PostgreSQL does not answer, the last view is kept: a flow is neither paused nor resumed by an outage.
 */
@Injectable()
export class FlowPauses implements BeforeApplicationShutdown {
  private readonly logger = new Logger(FlowPauses.name);
  private view = new Map<string, FlowPause>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading?: Promise<void>;

  constructor(private readonly repository: FlowPauseRepository) {}

  beforeApplicationShutdown(): void {
    this.readAt = Number.POSITIVE_INFINITY;
  }

  /** True while an operator has `flow` of `shop` paused (as of at most FLOW_PAUSES_MAX_AGE_MS ago). */
  async isPaused(shop: string, flow: Flow): Promise<boolean> {
    return (await this.pauseOf(shop, flow)) !== undefined;
  }

  /** The pause of `flow` of `shop`, if any. */
  async pauseOf(shop: string, flow: Flow): Promise<FlowPause | undefined> {
    if (Date.now() - this.readAt >= FLOW_PAUSES_MAX_AGE_MS) {
      this.reading ??= this.read().finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    return this.view.get(key(shop, flow));
  }

  /** Forgets the view, so that the next question reads the table (after this process changed it). */
  invalidate(): void {
    if (this.readAt !== Number.POSITIVE_INFINITY) {
      this.readAt = Number.NEGATIVE_INFINITY;
    }
  }

  private async read(): Promise<void> {
    try {
      const pauses = await this.repository.all();
      this.view = new Map(pauses.map((p) => [key(p.shop, p.flow), p]));
      this.readAt = Math.max(this.readAt, Date.now());
    } catch (error: unknown) {
      // Keep the last view; the question is asked again with the next message or run.
      this.logger.warn({ err: String(error) }, 'could not read the paused flows: keeping the last view');
    }
  }
}

function key(shop: string, flow: Flow): string {
  return `${shop.trim().toLowerCase()}\n${flow}`;
}
