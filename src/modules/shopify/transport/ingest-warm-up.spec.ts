import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { MetricsService } from 'src/common/observability/metrics.service';
import type { AppConfig } from 'src/config/app-config';
import { verifyShopifyHmac } from 'src/modules/shopify/domain/verify-shopify-hmac';
import { IngestWarmUp, WARM_UP_HEADER } from 'src/modules/shopify/transport/ingest-warm-up';
import type { ShopDirectory } from 'src/modules/shops';

describe(IngestWarmUp.name, () => {
  const shop = { domain: 'warm.myshopify.com', webhookSecrets: [{ reveal: () => 'shh' }] };
  const resets: string[] = [];
  const metrics = {
    webhooksReceived: { reset: () => resets.push('received') },
    webhookAckSeconds: { reset: () => resets.push('ack') },
  } as unknown as MetricsService;
  const warmUpOf = (requests: number, shops: unknown[] = [shop]) =>
    new IngestWarmUp(
      { shopify: { warmUpRequests: requests } } as AppConfig,
      { enabled: () => Promise.resolve(shops) } as unknown as ShopDirectory,
      metrics,
    );

  /** A route that answers 200 to what the warm-up admits and 401 to the rest, keeping what it saw. */
  const routeOf = (warmUp: IngestWarmUp) => {
    const seen: Array<{ admitted: boolean; signed: boolean; pass: string; closes: boolean }> = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const pass = String(req.headers[WARM_UP_HEADER]);
        const admitted = warmUp.admits(pass);
        const signed = verifyShopifyHmac(Buffer.concat(chunks), req.headers['x-shopify-hmac-sha256'] as string, [
          'shh',
        ]);
        seen.push({ admitted, signed, pass, closes: req.headers.connection === 'close' });
        res.writeHead(admitted ? 200 : 401).end();
      });
    });
    return { server, seen };
  };

  it('runs signed webhooks of an enabled shop through the route with a pass valid only while it runs', async () => {
    const warmUp = warmUpOf(40);
    const { server, seen } = routeOf(warmUp);
    const report = await warmUp.run(server);
    expect(report).toMatchObject({ requests: 40, accepted: 40, newConnections: 14 });
    // Every third request on a connection of its own, closed after it (the others on keep-alive lanes).
    expect(seen.filter((s) => s.closes)).toHaveLength(14);
    expect(seen.every((s) => s.admitted && s.signed)).toBe(true);
    const pass = seen[0]?.pass ?? '';
    expect(pass).toMatch(/^[0-9a-f]{48}$/);
    expect(warmUp.admits(pass)).toBe(false);
    expect(resets).toEqual(expect.arrayContaining(['received', 'ack']));
  });

  it('collects the garbage once the warm-up is done, when Node exposes gc (--expose-gc)', async () => {
    const calls: string[] = [];
    const exposed = globalThis as { gc?: () => void };
    const original = exposed.gc;
    exposed.gc = () => calls.push('gc');
    try {
      const warmUp = warmUpOf(6);
      const { server, seen } = routeOf(warmUp);
      expect(await warmUp.run(server)).toMatchObject({ requests: 6, collected: true });
      expect(seen).toHaveLength(6);
      expect(calls).toEqual(['gc']);
    } finally {
      exposed.gc = original;
    }
  });

  it('admits nothing when no warm-up runs, and runs none with 0 requests or no shop', async () => {
    expect(warmUpOf(10).admits('')).toBe(false);
    expect(warmUpOf(10).admits(undefined)).toBe(false);
    const none = routeOf(warmUpOf(0));
    expect(await warmUpOf(0).run(none.server)).toMatchObject({ requests: 0 });
    expect(await warmUpOf(10, []).run(none.server)).toMatchObject({ requests: 0 });
    expect(none.seen).toEqual([]);
  });
});
