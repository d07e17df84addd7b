import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { capabilitiesOf } from 'src/app-role';
import { BurstDetector, BurstYield, isBurstSignal } from 'src/common/lifecycle/burst-yield';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/**
 * The deployment's channel for burst signals. Redis' pub/sub channels span its databases, so the name carries the
 * database of REDIS_URL, which is what separates deployments that share a Redis server (their Bull queues too).
 */
export function burstChannelName(redisUrl: string): string {
  const database = Number(new URL(redisUrl).pathname.slice(1)) || 0;
  return `erp-sync:burst:${database}`;
}

/**
 * Carries `BurstSignal`s from every process that answers webhooks (the api role, the ingest part of APP_ROLE=all) to
 * every process that writes to the ERP or runs scheduled jobs (worker, scheduler, the ERP part), on one topology or
 * another, over Redis pub/sub: the same path whether they share a process, a machine or neither. A signal is fire
 * and forget: one lost (Redis down) costs the yield, never a webhook. ERP_YIELD_TO_BURST_MS=0 turns it off.
 */
@Injectable()
export class BurstChannel implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BurstChannel.name);
  private subscriber: Redis | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly detector: BurstDetector,
    private readonly burstYield: BurstYield,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const holdMs = this.config.erpYieldToBurstMs;
    if (holdMs === 0) {
      return;
    }
    const can = capabilitiesOf(this.config.role, this.config.part);
    const channel = burstChannelName(this.config.redis.url);
    if (can.worker || can.scheduler) {
      const subscriber = this.redis.duplicate();
      this.subscriber = subscriber;
      subscriber.on('error', (error: Error) => this.logger.warn(`burst channel: ${error.message}`));
      subscriber.on('message', (_channel: string, message: string) => {
        if (isBurstSignal(message)) {
          this.burstYield.signal(message, holdMs);
        }
      });
      // Without the subscription the ERP side only misses the yield: the start goes on.
      await subscriber.subscribe(channel).catch((error: Error) => this.logger.warn(`burst channel: ${error.message}`));
    }
    if (can.api) {
      this.detector.onSignal((signal) => {
        this.redis.publish(channel, signal).catch(() => undefined);
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}

@Module({ providers: [BurstChannel] })
export class BurstChannelModule {}
