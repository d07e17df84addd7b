import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import type { ErpPushOutcome, ErpPushRequest } from 'src/modules/erp/port/erp.types';

export type ErpPushResult =
  | { status: 200; body: string; contentType: 'text/plain' }
  | { status: 202; streams: string[] }
  | { status: 401 | 404; message: string };

/** Coalesces pushes: while a wake-up read of a stream is waiting, more pushes for it add nothing. */
const WAKE_DEBOUNCE_MS = 2_000;

/**
 * A push from the ERP (`POST /webhooks/erp/:connector`): verified by the connector, then it only wakes the delta
 * reads of the streams it names. It carries no data we trust; a lost push costs one poll interval, nothing more.
 */
@Injectable()
export class HandleErpPush {
  constructor(
    @Inject(ERP_PORT) private readonly erp: ErpPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.ErpChanges) private readonly queue: Queue,
    private readonly audit: AuditWriter,
  ) {}

  async execute(connector: string, request: ErpPushRequest): Promise<ErpPushResult> {
    if (connector !== this.erp.name) {
      return { status: 404, message: `no ERP connector '${connector}' is configured here` };
    }
    const outcome: ErpPushOutcome = this.erp.verifyPush(request, this.config.erp.push.secret);
    switch (outcome.kind) {
      case 'handshake':
        return { status: 200, body: outcome.body, contentType: 'text/plain' };
      case 'rejected':
        this.audit.record({
          eventId: `erp-push:${connector}:${Date.now()}`,
          entity: 'webhook',
          shop: connector,
          status: AuditStatus.Rejected,
          reason: outcome.reason,
        });
        return { status: 401, message: 'push not verified' };
      case 'wake': {
        const streams = outcome.streams.filter((stream) => (this.erp.changeStreams ?? [stream]).includes(stream));
        const slot = Math.floor(Date.now() / WAKE_DEBOUNCE_MS);
        await Promise.all(
          streams.map((stream) =>
            this.queue.add(
              JobName.ReadErpChanges,
              { stream },
              { jobId: `push:${stream}:${slot}`, delay: WAKE_DEBOUNCE_MS, removeOnComplete: 50, removeOnFail: 50 },
            ),
          ),
        );
        return { status: 202, streams };
      }
    }
  }
}
