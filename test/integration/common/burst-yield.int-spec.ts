import { BullModule, InjectQueue, Process, Processor } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Job, Queue } from 'bull';
import Redis from 'ioredis';
import { BullJobIntake } from 'src/common/jobs/bull-job-intake';
import { BurstChannel } from 'src/common/lifecycle/burst-channel';
import { BurstDetector, BurstYield } from 'src/common/lifecycle/burst-yield';
import { LifecycleModule } from 'src/common/lifecycle/lifecycle.module';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { until } from 'test/support/scenario';
import { serviceUrls, testConfig } from 'test/support/test-config';

/**
 * The yield to a burst of webhooks across processes, on the real Redis: the signals of an api process reach the
 * worker and scheduler processes of its deployment (and not another deployment's on the same Redis server), and a
 * scheduler's Bull queues take no new job while the burst holds them, then take it. It shares the ERP contract
 * specs' Redis db, which is never flushed: the queue's keys are under this run's own prefix, and pub/sub keeps none.
 */

const DB = INTEGRATION_RESOURCES.erpContracts.redisDb;
const { REDIS_URL } = serviceUrls('unused', DB);
const PREFIX = `burst-it:${process.pid}:${Date.now()}`;
const QUEUE = 'burst-yield-it';

interface Peer {
  channel: BurstChannel;
  detector: BurstDetector;
  burstYield: BurstYield;
  redis: Redis;
  signals: string[];
}

const peers: Peer[] = [];

async function peer(role: 'api' | 'worker' | 'scheduler', redisDb: number = DB): Promise<Peer> {
  const config = testConfig('unused', redisDb, { APP_ROLE: role, ERP_YIELD_TO_BURST_MS: '800' });
  const redis = new Redis(config.redis.url);
  const detector = new BurstDetector();
  const burstYield = new BurstYield();
  const signals: string[] = [];
  const signal = burstYield.signal.bind(burstYield);
  burstYield.signal = (kind, holdMs, now): void => {
    signals.push(`${kind}:${holdMs}`);
    signal(kind, holdMs, now);
  };
  const channel = new BurstChannel(config, redis, detector, burstYield);
  await channel.onApplicationBootstrap();
  const created = { channel, detector, burstYield, redis, signals };
  peers.push(created);
  return created;
}

afterEach(async () => {
  for (const { channel, redis, burstYield } of peers.splice(0)) {
    await channel.onApplicationShutdown();
    burstYield.onApplicationShutdown();
    await redis.quit();
  }
});

describe('BurstChannel on the real Redis', () => {
  it("carries an api's burst signals to its deployment's worker and scheduler, not to another deployment's", async () => {
    const api = await peer('api');
    const worker = await peer('worker');
    const scheduler = await peer('scheduler');
    const elsewhere = await peer('worker', INTEGRATION_RESOURCES.erpWriteGate.redisDb);

    // A sale at 1,000 a second for 60 ms: its first webhook starts it, its 25th says it goes on.
    const t0 = Date.now();
    for (let i = 0; i < 60; i += 1) {
      api.detector.arrived(t0 + i);
    }
    await until('both heard two signals', () => worker.signals.length >= 2 && scheduler.signals.length >= 2, 5_000, 10);
    expect(worker.signals).toEqual(['start:800', 'busy:800']);
    expect(scheduler.signals).toEqual(['start:800', 'busy:800']);
    expect(worker.burstYield.holding).toBe(true);
    expect(worker.burstYield.jobsHeld()).toBe(true);
    // The api itself does not listen; the other deployment (another Redis db) heard nothing.
    expect(api.signals).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(elsewhere.signals).toEqual([]);
  });

  it('is off with ERP_YIELD_TO_BURST_MS=0: no signal is published', async () => {
    const listener = await peer('worker');
    const config = testConfig('unused', DB, { APP_ROLE: 'api', ERP_YIELD_TO_BURST_MS: '0' });
    const redis = new Redis(config.redis.url);
    const detector = new BurstDetector();
    const off = new BurstChannel(config, redis, detector, new BurstYield());
    await off.onApplicationBootstrap();
    detector.arrived();
    // A signal that was published would reach the listener before this one does (one connection, in order).
    const on = await peer('api');
    on.detector.arrived();
    await until('the listener heard a signal', () => listener.signals.length >= 1, 5_000, 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listener.signals).toEqual(['start:800']);
    await redis.quit();
  });
});

@Injectable()
@Processor(QUEUE)
class Recorder {
  readonly ran: Array<{ n: number; at: number }> = [];

  constructor(@InjectQueue(QUEUE) readonly queue: Queue) {}

  @Process('tick')
  tick(job: Job<{ n: number }>): void {
    this.ran.push({ n: job.data.n, at: Date.now() });
  }
}

describe('BullJobIntake yielding to a burst, on the real Redis', () => {
  let moduleRef: TestingModule;
  let recorder: Recorder;
  let burstYield: BurstYield;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        DiscoveryModule,
        LifecycleModule,
        BullModule.forRoot({ url: REDIS_URL, prefix: PREFIX }),
        BullModule.registerQueue({ name: QUEUE }),
      ],
      providers: [BullJobIntake, Recorder],
    }).compile();
    await moduleRef.init();
    recorder = moduleRef.get(Recorder);
    burstYield = moduleRef.get(BurstYield);
    await recorder.queue.isReady();
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('starts no job while the burst holds the jobs, and runs it once the hold ends', async () => {
    await recorder.queue.add('tick', { n: 1 });
    await until('the first job ran', () => recorder.ran.length === 1, 5_000, 10);

    const held = Date.now();
    // Bull's local pause ends the worker's blocking fetch (a reconnection) before it says `paused`.
    const paused = new Promise((resolve) => recorder.queue.once('paused', resolve));
    burstYield.signal('start', 0);
    await paused;
    expect(burstYield.jobsHeld()).toBe(true);
    await recorder.queue.add('tick', { n: 2 });
    await until('the held job ran', () => recorder.ran.length === 2, 5_000, 10);
    // Not before the hold ended (JOBS_BUSY_HOLD_MS after the only signal).
    expect(recorder.ran[1].n).toBe(2);
    expect(recorder.ran[1].at - held).toBeGreaterThanOrEqual(BurstYield.JOBS_BUSY_HOLD_MS - 5);
  });

  it('leaves the queues paused when the shutdown began during the hold', async () => {
    burstYield.signal('start', 0);
    const intakes = new Map(moduleRef.get(ShutdownState).registeredIntakes());
    await intakes.get('bull jobs')?.stop();
    await until('the hold ended', () => !burstYield.jobsHeld(), 5_000, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await recorder.queue.isPaused(true)).toBe(true);
  });
});
