import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef, Reflector } from '@nestjs/core';
import type { Queue } from 'bull';
import { discoverJobHandlers } from 'src/common/jobs/job-handlers.check';
import { BurstYield } from 'src/common/lifecycle/burst-yield';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';

/**
 * The Bull queues this process processes, and the two times it takes no new job from them (a local pause: other
 * processes carry on):
 * - **shutdown**, as a work intake: `stop` pauses each queue and resolves once its active jobs have finished. A job
 *   still running at the deadline needs no cut: the process exits, its lock expires and Bull's stalled-job check runs
 *   it again.
 * - **a burst of webhooks** (`BurstYield`'s job hold): paused without waiting for active jobs, resumed when the hold
 *   ends, unless the shutdown has begun by then.
 */
@Injectable()
export class BullJobIntake implements OnApplicationBootstrap {
  private readonly logger = new Logger(BullJobIntake.name);
  private queues: Queue[] = [];
  private stopping = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly shutdown: ShutdownState,
    private readonly burstYield: BurstYield,
  ) {}

  onApplicationBootstrap(): void {
    const names = new Set(discoverJobHandlers(this.discovery, this.scanner, this.reflector).map((h) => h.queue));
    this.queues = [...names].map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    this.shutdown.registerIntake('bull jobs', { stop: () => this.stop() });
    if (this.queues.length > 0) {
      this.burstYield.onJobsHeld((held) => void this.yieldToBurst(held));
    }
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.queues.map((queue) => queue.pause(true)));
  }

  private async yieldToBurst(held: boolean): Promise<void> {
    if (this.stopping) {
      return;
    }
    try {
      await Promise.all(this.queues.map((queue) => (held ? queue.pause(true, true) : queue.resume(true))));
    } catch (error: unknown) {
      this.logger.warn(`scheduled jobs ${held ? 'held' : 'resumed'} in part: ${(error as Error).message}`);
    }
  }
}
