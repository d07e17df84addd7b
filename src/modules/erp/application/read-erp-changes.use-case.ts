import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditStatus, AuditWriter, type AuditEntity } from 'src/modules/audit';
import { ERP_KEYED_LOCK, ERP_WRITE_GATE } from 'src/modules/erp/erp.constants';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import type { ErpKeyedLock } from 'src/modules/erp/port/erp-connector-context';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import type { ErpChangePage, ErpChangeStream, ErpDeltaQuery } from 'src/modules/erp/port/erp.types';
import type { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';

export interface ErpChangeRun {
  stream: ErpChangeStream;
  /** Records the ERP returned. */
  read: number;
  /** Of those, new or changed (what the Shopify side has to write). */
  changed: number;
  pages: number;
  watermark?: string;
}

/** Records per page asked of the ERP (each connector clamps it to its vendor's maximum). */
export const DELTA_PAGE_SIZE = 500;

const AUDIT_ENTITY: Record<ErpChangeStream, AuditEntity> = {
  items: 'product',
  inventory: 'inventory',
  shipments: 'fulfillment',
};

/**
 * Reads one stream of ERP changes (items, inventory or shipments) since its stored watermark, page by page through
 * the shared ERP gate, and keeps what changed in PostgreSQL. The watermark moves to the highest `lastModified` read
 * only when the whole read succeeded, so a failed or interrupted run loses nothing: the next one re-reads, and
 * applying the same records twice changes nothing. Pushes from the ERP only trigger this; they are never trusted
 * as data. One run per stream at a time across all processes (a shared lock).
 */
@Injectable()
export class ReadErpChanges {
  private readonly logger = new Logger(ReadErpChanges.name);

  constructor(
    @Inject(ERP_PORT) private readonly erp: ErpPort,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    @Inject(ERP_KEYED_LOCK) private readonly locks: ErpKeyedLock,
    private readonly changes: ErpChangeRepository,
    private readonly audit: AuditWriter,
  ) {}

  /** The streams this connector can read (the sandbox ERP simulates none). */
  get streams(): readonly ErpChangeStream[] {
    return this.erp.changeStreams ?? ['items', 'inventory', 'shipments'];
  }

  execute(stream: ErpChangeStream, options: { full?: boolean } = {}): Promise<ErpChangeRun> {
    return this.locks.withLock(`changes:${this.erp.name}:${stream}`, () => this.read(stream, options.full === true));
  }

  private async read(stream: ErpChangeStream, full: boolean): Promise<ErpChangeRun> {
    const since = full ? undefined : await this.changes.watermark(this.erp.name, stream);
    const run: ErpChangeRun = { stream, read: 0, changed: 0, pages: 0, watermark: since };
    let cursor: string | undefined;
    try {
      do {
        const query: ErpDeltaQuery = { since, cursor, pageSize: DELTA_PAGE_SIZE };
        const page = await this.gate.call(`read ${stream}`, () => this.readPage(stream, query));
        const changedKeys = await this.apply(stream, page);
        run.pages++;
        run.read += page.records.length;
        run.changed += changedKeys.length;
        for (const record of page.records) {
          const modified = record.lastModified;
          if (modified !== undefined && (run.watermark === undefined || modified > run.watermark)) {
            run.watermark = modified;
          }
        }
        for (const key of changedKeys) {
          this.audit.record({
            eventId: `erp:${this.erp.name}:${stream}:${key}:${run.watermark ?? 'full'}`,
            entity: AUDIT_ENTITY[stream],
            shop: this.erp.name,
            erpId: key,
            status: AuditStatus.Received,
            reason: `changed in the ERP (${stream} delta read)`,
          });
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    } catch (error: unknown) {
      await this.changes.saveRun(this.erp.name, stream, { watermark: undefined, error: String(error).slice(0, 500) });
      throw error;
    }
    await this.changes.saveRun(this.erp.name, stream, { watermark: run.watermark, error: null });
    this.logger.log({ ...run, connector: this.erp.name }, 'ERP changes read');
    return run;
  }

  private readPage(stream: ErpChangeStream, query: ErpDeltaQuery): Promise<ErpChangePage<{ lastModified?: string }>> {
    switch (stream) {
      case 'items':
        return this.erp.readItemChanges(query);
      case 'inventory':
        return this.erp.readInventoryLevels(query);
      case 'shipments':
        return this.erp.readShipments(query);
    }
  }

  private apply(stream: ErpChangeStream, page: ErpChangePage<unknown>): Promise<string[]> {
    switch (stream) {
      case 'items':
        return this.changes.applyItems(this.erp.name, page.records as Parameters<ErpChangeRepository['applyItems']>[1]);
      case 'inventory':
        return this.changes.applyInventory(
          this.erp.name,
          page.records as Parameters<ErpChangeRepository['applyInventory']>[1],
        );
      case 'shipments':
        return this.changes.applyShipments(
          this.erp.name,
          page.records as Parameters<ErpChangeRepository['applyShipments']>[1],
        );
    }
  }
}
