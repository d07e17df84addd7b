import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { RunOrderReplay, type RunOrderReplayResult } from 'src/modules/orders/application/run-order-replay.use-case';

/** Bull transport of operators' background order replays (scheduler role). */
@Processor(QueueName.OrderReplay)
export class ReplayOrdersProcessor {
  constructor(private readonly run: RunOrderReplay) {}

  @Process(JobName.ReplayOrders)
  replay(job: Job<JobPayloads[JobName.ReplayOrders]>): Promise<RunOrderReplayResult> {
    return this.run.execute(job.data.replayId);
  }
}
