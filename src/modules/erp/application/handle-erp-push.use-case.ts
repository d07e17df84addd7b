import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { planPushWakeUps } from 'src/modules/erp/domain/plan-push-wake-ups';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import type { ErpChangeStream, ErpPushRequest } from 'src/modules/erp/port/erp.types';

/** @description What became of a push; the transport decides how to answer each kind. */
export type ErpPushResult =
  /** The ERP's validation handshake (Business Central): answer `body` as text. */
  | { kind: 'handshake'; body: string }
  /** Verified: the delta reads of `streams` are scheduled. */
  | { kind: 'accepted'; streams: ErpChangeStream[] }
  /** Not for the connector configured here, not authentic, or not a push the ERP sends; nothing was scheduled. */
  | { kind: 'rejected'; reason: 'unknown-connector' | 'unauthenticated' | 'malformed' };

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
      return { kind: 'rejected', reason: 'unknown-connector' };
    }
    const outcome = this.erp.verifyPush(request, this.config.erp.push.secret, {
      replayWindowMs: this.config.erp.push.replayWindowMs,
    });
    switch (outcome.kind) {
      case 'handshake':
        return { kind: 'handshake', body: outcome.body };
      case 'rejected':
      case 'malformed':
        this.audit.record({
          eventId: `erp-push:${connector}:${Date.now()}`,
          entity: 'webhook',
          shop: connector,
          status: AuditStatus.Rejected,
          reason: outcome.reason,
        });
        return { kind: 'rejected', reason: outcome.kind === 'malformed' ? 'malformed' : 'unauthenticated' };
      case 'wake': {
        const wakeUps = planPushWakeUps(outcome.streams, this.erp.changeStreams, Date.now());
        await Promise.all(
          wakeUps.map(({ stream, jobId, delayMs }) =>
            this.queue.add(
              JobName.ReadErpChanges,
              { stream },
              { jobId, delay: delayMs, removeOnComplete: 50, removeOnFail: 50 },
            ),
          ),
        );
        return { kind: 'accepted', streams: wakeUps.map((wakeUp) => wakeUp.stream) };
      }
    }
  }
}
