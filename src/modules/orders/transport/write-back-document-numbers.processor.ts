import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Queue } from 'bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import {
  WriteBackDocumentNumbers,
  type WriteBackDocumentNumbersResult,
} from 'src/modules/orders/application/write-back-document-numbers.use-case';

const RUN_LIMIT = 100;

/** Bull transport of the ERP document number write-back (scheduler role). */
@Processor(QueueName.ShopifyOrderWriteBack)
export class WriteBackDocumentNumbersProcessor {
  constructor(
    private readonly writeBack: WriteBackDocumentNumbers,
    @InjectQueue(QueueName.ShopifyOrderWriteBack) private readonly queue: Queue,
  ) {}

  @Process(JobName.WriteBackDocumentNumbers)
  async run(): Promise<WriteBackDocumentNumbersResult> {
    const result = await this.writeBack.execute({ limit: RUN_LIMIT });
    if (result.considered === RUN_LIMIT) {
      // A full page: more are waiting; carry on now rather than at the next interval.
      await this.queue.add(JobName.WriteBackDocumentNumbers, {}, { removeOnComplete: 50, removeOnFail: 50 });
    }
    return result;
  }
}
