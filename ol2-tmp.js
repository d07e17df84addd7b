const http = require('http'); const crypto = require('crypto');
const { buildShopifyOrder, serialiseOrder } = require('test/factories/shopify-order.factory');
const rate = Number(process.argv[2]); const secs = Number(process.argv[3]); const n = rate * secs; const port = Number(process.argv[4]);
const bodies = Array.from({ length: n }, (_, i) => Buffer.from(serialiseOrder(buildShopifyOrder({}, { seed: 500000 + i, lineCount: 2 }))));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 }); const lat = []; let errs = 0;
const t0 = performance.now() + 50;
function send(i) { const due = t0 + (i * 1000) / rate; const id = crypto.randomUUID(); const body = bodies[i];
  const req = http.request({ host: '127.0.0.1', port, path: '/webhooks/shopify', method: 'POST', agent, headers: {
    'content-type': 'application/json', 'content-length': body.length, 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'demo-store.myshopify.com',
    'x-shopify-hmac-sha256': crypto.createHmac('sha256', 'demo-secret-123').update(body).digest('base64'), 'x-shopify-webhook-id': id, 'x-shopify-event-id': id } }, (r) => { r.resume(); r.on('end', () => { if (r.statusCode !== 200) errs++; if (i > rate) lat.push(performance.now() - due); }); });
  req.on('error', () => errs++); req.end(body); }
let i = 0;
(function tick() { const now = performance.now(); while (i < n && t0 + (i * 1000) / rate <= now) send(i++); if (i < n) setTimeout(tick, 1); else setTimeout(() => { lat.sort((a, b) => a - b); const q = (p) => lat[Math.floor(lat.length * p)].toFixed(2);
  console.log('rate', rate, 'n', lat.length, 'errs', errs, 'p50', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'max', lat[lat.length - 1].toFixed(2)); agent.destroy(); }, 3000); })();
