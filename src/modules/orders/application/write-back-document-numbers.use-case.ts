import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, ErrorKind, errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  ORDER_DOCUMENT_NUMBER,
  ORDER_METAFIELDS_SET,
  ORDER_TAGS_ADD,
} from 'src/modules/orders/application/order-write-back.shopify-graphql';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import {
  ERP_DOCUMENT_METAFIELD,
  planDocumentNumberWriteBack,
} from 'src/modules/orders/domain/plan-document-number-write-back';
import {
  OrderSyncStateRepository,
  type DueDocumentNumber,
} from 'src/modules/orders/persistence/order-sync-state.repository';
import { ShopifyAdminClients, assertNoUserErrors, type ShopifyAdminPort } from 'src/modules/shopify';
import { ShopDirectory, forEachShop, type Shop } from 'src/modules/shops';

export interface WriteBackDocumentNumbersResult {
  /** False when another process holds the run lock (nothing was done). */
  ran: boolean;
  considered: number;
  /** Orders that now carry the number, whatever was left to write. */
  written: number;
  /** Of those, orders that carried both already (nothing was sent). */
  unchanged: number;
  retried: number;
  failed: number;
}

const DEFAULT_LIMIT = 100;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;

/**
 * The ERP's document number → the Shopify order (scheduler role), on its own job so that a Shopify failure never fails
 * the ERP write that produced the number. Per owed order: read the order's tags and metafield, then `tagsAdd` and/or
 * `metafieldsSet` only what is missing, then record the number as written. Idempotent: what the order carries is read
 * first, so a retry after a lost answer, a second run or a later update writes nothing twice. Permanent failures
 * (no such order, a userError) are kept with their reason; transient ones are retried with backoff.
 */
@Injectable()
export class WriteBackDocumentNumbers {
  private readonly logger = new Logger(WriteBackDocumentNumbers.name);

  constructor(
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly state: OrderSyncStateRepository,
    private readonly audit: AuditWriter,
    private readonly locks: AdvisoryLocks,
  ) {}

  /**
   * Every enabled shop in turn, each through its own Admin client (a shop that fails does not stop the others); the
   * result adds the shops' up. `considered` is the most owed orders of one shop (a full page means more are waiting).
   */
  async execute(input: { limit?: number } = {}): Promise<WriteBackDocumentNumbersResult> {
    const perShop = await forEachShop(await this.shops.enabled(), (shop) => this.runShop(shop, input.limit));
    return perShop.reduce<WriteBackDocumentNumbersResult>(
      (sum, r) => ({
        ran: sum.ran || r.ran,
        considered: Math.max(sum.considered, r.considered),
        written: sum.written + r.written,
        unchanged: sum.unchanged + r.unchanged,
        retried: sum.retried + r.retried,
        failed: sum.failed + r.failed,
      }),
      { ran: false, considered: 0, written: 0, unchanged: 0, retried: 0, failed: 0 },
    );
  }

  private async runShop(shop: Shop, limit = DEFAULT_LIMIT): Promise<WriteBackDocumentNumbersResult> {
    const result: WriteBackDocumentNumbersResult = {
      ran: false,
      considered: 0,
      written: 0,
      unchanged: 0,
      retried: 0,
      failed: 0,
    };
    // One writer per shop at a time, across processes.
    await this.locks.tryExclusive(`order-write-back:${shop.domain}`, async () => {
      result.ran = true;
      const due = await this.state.dueDocumentNumbers(shop.domain, limit);
      result.considered = due.length;
      const shopify = this.clients.forShop(shop);
      for (const entry of due) {
        await this.writeBack(shopify, entry, result);
      }
    });
    return result;
  }

  private async writeBack(
    shopify: ShopifyAdminPort,
    due: DueDocumentNumber,
    result: WriteBackDocumentNumbersResult,
  ): Promise<void> {
    const orderGid = `gid://shopify/Order/${due.shopifyOrderId}`;
    const audit = {
      eventId: `erp-document-number:${due.shopifyOrderId}:${due.documentNumber}`,
      entity: 'document_number' as const,
      topic: 'orders/erp-document-number',
      shop: due.shop,
      shopifyId: orderGid,
      erpId: due.documentNumber,
    };
    const started = Date.now();
    try {
      const { data } = await shopify.request(ORDER_DOCUMENT_NUMBER, {
        id: orderGid,
        namespace: ERP_DOCUMENT_METAFIELD.namespace,
        key: ERP_DOCUMENT_METAFIELD.key,
      });
      if (data.order === null) {
        throw new OrderError(OrderErrorCode.NotInShopify, `Shopify has no order ${due.shopifyOrderId}`);
      }
      const plan = planDocumentNumberWriteBack(this.config.shopify.erpDocumentTagPrefix, due.documentNumber, {
        tags: data.order.tags,
        metafieldValue: data.order.metafield?.value ?? null,
      });
      if (plan.addTag !== null) {
        const tagged = await shopify.request(ORDER_TAGS_ADD, { id: orderGid, tags: [plan.addTag] });
        assertNoUserErrors(tagged.data.tagsAdd, 'tagsAdd');
      }
      if (plan.setMetafield) {
        const set = await shopify.request(ORDER_METAFIELDS_SET, {
          metafields: [{ ownerId: orderGid, ...ERP_DOCUMENT_METAFIELD, value: due.documentNumber }],
        });
        assertNoUserErrors(set.data.metafieldsSet, 'metafieldsSet');
      }
      await this.state.markDocumentNumberWritten(due.shop, due.shopifyOrderId, due.documentNumber);
      result.written++;
      const nothingSent = plan.addTag === null && !plan.setMetafield;
      if (nothingSent) {
        result.unchanged++;
      }
      this.audit.record({
        ...audit,
        status: nothingSent ? AuditStatus.Duplicate : AuditStatus.Succeeded,
        reason: nothingSent
          ? 'the order carries the ERP document number already'
          : `ERP document number written: ${[
              plan.addTag === null ? '' : `tag ${plan.addTag}`,
              plan.setMetafield ? 'metafield' : '',
            ]
              .filter((part) => part !== '')
              .join(', ')}`,
        latencyMs: Date.now() - started,
      });
    } catch (error: unknown) {
      const message = errorMessage(error);
      const kind = error instanceof AppError ? error.kind : ErrorKind.Transient;
      if (kind === ErrorKind.Permanent) {
        await this.state.markDocumentNumberFailed(due.shop, due.shopifyOrderId, due.documentNumber, message, null);
        result.failed++;
        this.audit.record({ ...audit, status: AuditStatus.DeadLettered, reason: 'permanent', error: message });
        this.logger.warn({ order: due.shopifyOrderId, err: message }, 'ERP document number not written (permanent)');
        return;
      }
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(10, due.attempts));
      await this.state.markDocumentNumberFailed(
        due.shop,
        due.shopifyOrderId,
        due.documentNumber,
        message,
        new Date(Date.now() + delay),
      );
      result.retried++;
      this.audit.record({
        ...audit,
        status: AuditStatus.RetryScheduled,
        reason: kind,
        error: message,
        attempt: due.attempts,
      });
    }
  }
}
