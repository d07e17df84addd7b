import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRawBody, sendJson } from 'src/common/http/raw-body.middleware';
import { serveAhead, type AheadRoute } from 'src/common/http/serve-ahead';

interface Answer {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

function send(server: Server, method: string, path: string, body = '', extra: Record<string, string> = {}) {
  const { port } = server.address() as AddressInfo;
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...extra } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serveAhead', () => {
  let server: Server;
  const seenByFramework: string[] = [];

  const route: AheadRoute = {
    matches: (req) => req.method === 'POST' && req.url === '/fast',
    handle: (req: IncomingMessage, res: ServerResponse) => {
      void readRawBody(req, res, 16).then((body) => {
        if (body !== undefined) {
          sendJson(res, 200, { route: 'ahead', bytes: body.length });
        }
      });
    },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seenByFramework.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.end('framework');
    });
    serveAhead(server, route);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a matching request itself, without the framework ever seeing it', async () => {
    const answer = await send(server, 'POST', '/fast', 'hello');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ route: 'ahead', bytes: 5 });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seenByFramework).not.toContain('POST /fast');
  });

  it('passes every other request to the framework unchanged', async () => {
    expect((await send(server, 'GET', '/fast')).body).toBe('framework');
    expect((await send(server, 'POST', '/other', 'x')).body).toBe('framework');
    expect(seenByFramework).toEqual(expect.arrayContaining(['GET /fast', 'POST /other']));
  });

  it('refuses a body over the cap with 413 before buffering it, declared or chunked, and the client reads the 413', async () => {
    const declared = await send(server, 'POST', '/fast', 'x'.repeat(17));
    expect(declared.status).toBe(413);
    const chunked = await send(server, 'POST', '/fast', 'x'.repeat(40), { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    // Far more than the cap: read and thrown away for a while after the answer (lingering close), then cut off.
    const huge = await send(server, 'POST', '/fast', 'x'.repeat(1_000_000));
    expect(huge.status).toBe(413);
    expect(seenByFramework).not.toContain('POST /fast');
  });

  it('refuses to take over a server that has no single framework listener', () => {
    const bare = createServer();
    expect(() => serveAhead(bare, route)).toThrow('found 0');
  });
});
