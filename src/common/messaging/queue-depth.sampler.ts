import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Connection } from 'rabbitmq-client';
import { RABBIT_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { ALL_QUEUE_NAMES, queueDepths } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';

const SAMPLE_EVERY_MS = 5_000;

/** Samples ready-message counts of every queue into erp_sync_queue_depth (passive declares: never creates). */
@Injectable()
export class QueueDepthSampler implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RABBIT_CONNECTION) private readonly connection: Connection,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    if (!this.connection.ready) {
      return;
    }
    try {
      for (const [queue, depth] of await queueDepths(this.connection, ALL_QUEUE_NAMES)) {
        this.metrics.queueDepth.set({ queue }, depth);
      }
    } catch {
      // Not declared yet, or the broker is restarting: keep the last sample.
    }
  }
}
