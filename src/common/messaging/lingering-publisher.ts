import type { Envelope, MessageBody } from 'rabbitmq-client';

/** The part of rabbitmq-client's Publisher this needs (a Publisher with `confirm: true` resolves on the confirm). */
export interface ConfirmedSender {
  send(envelope: Envelope, body: MessageBody): Promise<void>;
}

interface Pending {
  envelope: Envelope;
  body: Buffer | string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Confirmed publishes, sent in small bursts: a publish waits at most `lingerMs` for others to go with it (Kafka's
 * `linger.ms`), then every waiting message is written in one go and each resolves on its own publisher confirm.
 *
 * Why: at a few hundred webhooks a second, one message at a time costs RabbitMQ 3.10 about a third of a core on
 * this machine (a quorum-queue append and a confirm each), and bursts of five cost it about 40 % less, because the
 * broker batches what arrives together (measured: docs/benchmarks-history.md, 2026-12-02). On a two-core machine that is
 * CPU the ingest needs. The price is at most `lingerMs` added to an ack; 0 turns lingering off.
 *
 * Nothing is acknowledged early: a caller's promise settles only with its own message's confirm (or failure).
 */
export class LingeringPublisher {
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly publisher: ConfirmedSender,
    private readonly lingerMs: number,
    /** A burst this large is written at once, without waiting for the linger. */
    private readonly maxBurst = 64,
    /** Runs the writes of one burst, e.g. with the connection's socket corked so that they leave in one syscall. */
    private readonly asOneWrite: (write: () => void) => void = (write) => write(),
  ) {}

  send(envelope: Envelope, body: Buffer | string): Promise<void> {
    if (this.lingerMs <= 0) {
      return this.publisher.send(envelope, body);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ envelope, body, resolve, reject });
      if (this.pending.length >= this.maxBurst) {
        this.flush();
      } else {
        this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
      }
    });
  }

  /** Writes everything waiting now (also used at shutdown, so that no caller waits for a timer that never fires). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const burst = this.pending;
    this.pending = [];
    this.asOneWrite(() => {
      for (const p of burst) {
        let sent: Promise<void>;
        try {
          sent = this.publisher.send(p.envelope, p.body);
        } catch (error: unknown) {
          p.reject(error);
          continue;
        }
        sent.then(p.resolve, p.reject);
      }
    });
  }

  get waiting(): number {
    return this.pending.length;
  }
}
