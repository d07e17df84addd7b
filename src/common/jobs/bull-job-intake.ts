import { getQueueToken } from '@nestjs/bull';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef, Reflector } from '@nestjs/core';
import type { Queue } from 'bull';
import { discoverJobHandlers } from 'src/common/jobs/job-handlers.check';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';

/**
 * The Bull queues this process processes, as a work intake of the shutdown: `stop` pauses each locally (this process
 * takes no new job; other processes carry on) and resolves once its active jobs have finished. A job still running
 * at the deadline needs no cut: the process exits, its lock expires and Bull's stalled-job check runs it again.
 */
@Injectable()
export class BullJobIntake implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly shutdown: ShutdownState,
  ) {}

  onApplicationBootstrap(): void {
    this.shutdown.registerIntake('bull jobs', { stop: () => this.pauseProcessedQueues() });
  }

  private async pauseProcessedQueues(): Promise<void> {
    const names = new Set(discoverJobHandlers(this.discovery, this.scanner, this.reflector).map((h) => h.queue));
    const queues = [...names].map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    await Promise.all(queues.map((queue) => queue.pause(true)));
  }
}
