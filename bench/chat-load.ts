/**
 * Load generator for POST /api/chat, run in its own process by the benchmarks: autocannon cycling through the
 * given request bodies (a realistic mix of questions rather than one repeated message). Prints one JSON line.
 *
 *   node bench/chat-load.ts URL BODIES_JSON_FILE SECONDS [CONNECTIONS]   (under tsx)
 */
import fs from 'node:fs';
import autocannon from 'autocannon';

const [url, file, seconds = '5', connections = '16'] = process.argv.slice(2);
if (!url || !file) throw new Error('usage: chat-load URL BODIES_JSON_FILE SECONDS [CONNECTIONS]');
const bodies = JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
let next = 0;
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [{
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
  }],
});
console.log(JSON.stringify({ rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }));
