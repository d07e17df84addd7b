/** The dead letters a run left, read through the app's admin API. */

type DeadLetterItem = Record<string, unknown>;

function deadLetterOrderId(item: DeadLetterItem): string | undefined {
  const headers = (item.headers ?? {}) as Record<string, unknown>;
  for (const value of [item.shopifyId, item.shopify_id, item.resourceId, item.orderId, headers['x-resource-id']]) {
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value);
    }
  }
  return undefined;
}

/** Every dead letter the app lists (status dead, the default), paging with `nextCursor`, as Shopify order ids. */
export async function fetchDeadLetters(
  appUrl: string,
  adminKey: string,
): Promise<{ total: number; orderIds: string[] }> {
  const seen = new Map<string, string | undefined>();
  let total = 0;
  let after: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    // 200 is the endpoint's largest page.
    const query = new URLSearchParams({ first: '200' });
    if (after !== null) {
      query.set('after', after);
    }
    const res = await fetch(`${appUrl}/admin/dead-letters?${query.toString()}`, {
      headers: { Authorization: `Bearer ${adminKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      throw new Error(`GET /admin/dead-letters answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    const body = (await res.json()) as { items?: DeadLetterItem[]; total?: number; nextCursor?: string | null };
    const items = body.items ?? [];
    total = body.total ?? items.length;
    for (const item of items) {
      const id = item.id ?? item.messageId;
      const key = typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(item);
      seen.set(key, deadLetterOrderId(item));
    }
    after = body.nextCursor ?? null;
    if (after === null || items.length === 0) {
      break;
    }
  }
  const orderIds = [...seen.values()].filter((id): id is string => id !== undefined);
  return { total: Math.max(total, seen.size), orderIds };
}
