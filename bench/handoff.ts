/**
 * Handoff realtime benchmark (loopback only, bounded loops):
 *   1. one server process holds 10,000 concurrent citizen socket.io connections (each with its own conversation):
 *      RSS per connection;
 *   2. with those connections open, 200 citizens chat with 20 navigators at 2,000 messages/s, every message
 *      persisted (SQLite, seq assigned) before its ack: relay latency citizen → navigator (p50/p99) and ack latency;
 *   3. the same load through a bare socket.io relay (no auth, no persistence) in the same run, for comparison.
 * The clients run in a child process (so the server process's RSS is the server's, and each process stays under
 * its open-file limit). Figures are printed, never asserted.
 *
 *   npx tsx bench/handoff.ts [--connections 10000] [--rate 2000] [--seconds 5]
 *   npm run bench -- handoff
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { HandoffService } from '../server/handoff/index.ts';
import { fixtureKb } from '../server/handoff/testing/fixture-kb.ts';
import { ScriptedAssistant } from '../server/handoff/testing/scripted-assistant.ts';
import { installErrorHandler } from '../server/http/errors.ts';
import { registerConsoleRoutes } from '../server/http/routes/console.ts';
import { attachRealtime, CITIZEN_NAMESPACE, NAVIGATOR_NAMESPACE, SOCKET_PATH } from '../server/realtime/index.ts';
import { SqliteHandoffStore } from '../server/storage/index.ts';
import { positiveIntFlags } from './stats.ts';

type Figures = Record<string, number | string>;

interface BenchOptions {
  connections: number;
  rate: number;
  seconds: number;
  conversations: number;
  navigators: number;
}

const DEFAULTS: BenchOptions = { connections: 10_000, rate: 2_000, seconds: 5, conversations: 200, navigators: 20 };
const SELF = fileURLToPath(import.meta.url);

// -------------------------------------------------------------------------------------------------
// Messages between the bench (server side) and its client process
// -------------------------------------------------------------------------------------------------

type ToClient =
  | { cmd: 'hold'; url: string; count: number }
  | { cmd: 'relay'; url: string; tokens: string[]; conversations: number; rate: number; seconds: number }
  | { cmd: 'echo'; url: string; navigators: number; conversations: number; rate: number; seconds: number }
  | { cmd: 'quit' };

interface LatencyReport {
  sent: number;
  received: number;
  acked: number;
  seconds: number;
  relay: number[]; // ms, sorted
  ack: number[]; // ms, sorted
}

type FromClient = { ok: true; held?: number; ms?: number; report?: LatencyReport } | { ok: false; error: string };

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The soft open-file limit of this process (children inherit it). */
function openFileLimit(): number {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(out);
  } catch {
    return 1024;
  }
}

// -------------------------------------------------------------------------------------------------
// Server side
// -------------------------------------------------------------------------------------------------

async function startService(dataDir: string) {
  const kb = fixtureKb({
    // Always open, so the benchmark never lands outside working hours.
    calendar: { timezone: 'Asia/Shanghai', workingHours: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '23:59' }], holidays: [], workdays: [] },
  });
  const store = SqliteHandoffStore.open(dataDir);
  const service = new HandoffService({ store, kb: () => kb, offerTimeoutMs: 120_000, graceMs: 120_000 });
  service.useAssistant(new ScriptedAssistant(service));
  await service.start();
  const http = Fastify({ logger: false });
  installErrorHandler(http);
  registerConsoleRoutes(http, { service });
  const realtime = attachRealtime(http.server, { service });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const addr = http.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url, service, store,
    async close() {
      await realtime.close();
      await service.close();
      await http.close();
      await store.close();
    },
  };
}

/** The comparison: relay a message from a citizen socket to its navigator's socket, nothing else. */
async function startBareRelay() {
  const http = Fastify({ logger: false });
  const io = new Server(http.server, { path: SOCKET_PATH, serveClient: false });
  io.on('connection', (socket) => {
    const room = String(socket.handshake.auth.room ?? '');
    if (socket.handshake.auth.role === 'navigator') void socket.join(room);
    socket.on('msg', (payload: unknown, ack?: (r: unknown) => void) => {
      socket.to(room).emit('msg', payload);
      ack?.({ ok: true });
    });
  });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const addr = http.server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    async close() {
      io.disconnectSockets(true);
      io.engine.close();
      await http.close();
    },
  };
}

function ask(child: ChildProcess, msg: ToClient): Promise<FromClient> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromClient) => {
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`bench client exited (${code})`));
    child.once('message', onMessage);
    child.once('exit', onExit);
    child.send(msg);
  });
}

function must(r: FromClient): Extract<FromClient, { ok: true }> {
  if (!r.ok) throw new Error(r.error);
  return r;
}

const mib = (bytes: number) => bytes / 1024 / 1024;

export async function run(overrides: Partial<BenchOptions> = {}): Promise<Figures> {
  const opts: BenchOptions = { ...DEFAULTS, ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k in DEFAULTS)) };
  const figures: Figures = {};
  const limit = openFileLimit();
  // Each connection costs one descriptor in each process; keep headroom for the database, pipes and the relay sockets.
  const headroom = 200 + 2 * (opts.conversations + opts.navigators);
  let connections = opts.connections;
  if (limit - headroom < connections) {
    connections = Math.max(0, limit - headroom);
    console.log(`  note: ulimit -n is ${limit}; holding ${connections} connections instead of ${opts.connections}. Raise it (ulimit -n 65536) for the full run.`);
  }
  figures['open-file limit (ulimit -n)'] = limit;
  // The machine may be shared: compare the relay with the bare socket.io figures of the same run, at this load.
  figures['load average 1/5/15 min at start'] = os.loadavg().map((l) => l.toFixed(2)).join(' / ');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-handoff-'));
  const server = await startService(dataDir);
  const bare = await startBareRelay();
  const child = fork(SELF, ['--handoff-client'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    // 1. Hold the connections.
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    const held = must(await ask(child, { cmd: 'hold', url: server.url, count: connections }));
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const after = process.memoryUsage().rss;
    figures['citizen connections held (one server process)'] = held.held ?? 0;
    figures['connect time for all (s)'] = (held.ms ?? 0) / 1000;
    figures['server RSS before / after (MiB)'] = `${mib(before).toFixed(0)} / ${mib(after).toFixed(0)}`;
    figures['server RSS per connection (KiB, incl. its conversation)'] = held.held ? (after - before) / 1024 / held.held : 0;

    // 2. Navigators and their conversations, then the relay at the target rate.
    const capacity = Math.ceil(opts.conversations / opts.navigators);
    const tokens: string[] = [];
    for (let i = 0; i < opts.navigators; i++) {
      await server.service.createNavigator({ username: `bench${i}`, password: 'bench-password', name: `导办员${i}`, skills: ['public-security'], capacity });
      tokens.push((await server.service.login(`bench${i}`, 'bench-password')).token);
    }
    const relay = must(await ask(child, { cmd: 'relay', url: server.url, tokens, conversations: opts.conversations, rate: opts.rate, seconds: opts.seconds })).report!;
    figures['handoff relay: messages sent / delivered / acked'] = `${relay.sent} / ${relay.received} / ${relay.acked}`;
    figures['handoff relay: achieved rate (msg/s)'] = relay.sent / relay.seconds;
    figures['handoff relay citizen→navigator p50 (ms)'] = quantile(relay.relay, 0.5);
    figures['handoff relay citizen→navigator p99 (ms)'] = quantile(relay.relay, 0.99);
    figures['handoff send→ack (persisted) p99 (ms)'] = quantile(relay.ack, 0.99);

    // 3. The bare socket.io relay under the same load.
    const echo = must(await ask(child, { cmd: 'echo', url: bare.url, navigators: opts.navigators, conversations: opts.conversations, rate: opts.rate, seconds: opts.seconds })).report!;
    figures['bare socket.io relay: achieved rate (msg/s)'] = echo.sent / echo.seconds;
    figures['bare socket.io relay p50 (ms)'] = quantile(echo.relay, 0.5);
    figures['bare socket.io relay p99 (ms)'] = quantile(echo.relay, 0.99);
    figures['target'] = `${opts.connections} connections; relay p99 at ${opts.rate} msg/s, each persisted before ack`;
    await ask(child, { cmd: 'quit' }).catch(() => undefined);
  } finally {
    child.kill();
    await bare.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

// -------------------------------------------------------------------------------------------------
// Client side (child process)
// -------------------------------------------------------------------------------------------------

const socketOpts = (auth: object) => ({ path: SOCKET_PATH, auth: auth as Record<string, unknown>, transports: ['websocket'], forceNew: true, reconnection: false });

function waitFor(socket: Socket, event: string, match: (p: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve, reject) => {
    const handler = (p: unknown) => {
      if (!match(p)) return;
      socket.off(event, handler);
      resolve(p);
    };
    socket.on(event, handler);
    socket.once('connect_error', (e) => reject(e));
  });
}

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, j) => make(start + j)))));
  }
  return out;
}

/** Sends `rate` messages per second for `seconds`, round-robin over the senders; bounded by rate × seconds. */
async function drive(
  senders: Socket[], receivers: Socket[], rate: number, seconds: number,
  send: (s: Socket, id: string, onAck: () => void) => void, idOf: (payload: any) => string | undefined,
): Promise<LatencyReport> {
  const sentAt = new Map<string, number>();
  const relay: number[] = [];
  const ack: number[] = [];
  let received = 0;
  let acked = 0;
  for (const r of receivers) {
    r.on('message', (m: any) => record(idOf(m)));
    r.on('msg', (m: any) => record(idOf(m)));
  }
  function record(id: string | undefined) {
    if (!id) return;
    const t = sentAt.get(id);
    if (t === undefined) return;
    relay.push(performance.now() - t);
    received++;
  }
  const total = Math.round(rate * seconds);
  const tickMs = 10;
  const perTick = rate / (1000 / tickMs);
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / tickMs + 1) * perTick));
      while (sent < due) {
        const id = `m${sent}`;
        const t = performance.now();
        sentAt.set(id, t);
        send(senders[sent % senders.length]!, id, () => {
          ack.push(performance.now() - t);
          acked++;
        });
        sent++;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, tickMs);
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  // Drain: wait (bounded) for the stragglers.
  for (let i = 0; i < 100 && (received < sent || acked < sent); i++) await new Promise((r) => setTimeout(r, 50));
  return { sent, received, acked, seconds: elapsed, relay: relay.sort((a, b) => a - b), ack: ack.sort((a, b) => a - b) };
}

async function client(): Promise<void> {
  const held: Socket[] = [];
  const all: Socket[] = [];
  process.on('message', async (msg: ToClient) => {
    try {
      if (msg.cmd === 'hold') {
        const t = performance.now();
        const sockets = await inBatches(msg.count, 250, async () => {
          const s = connect(msg.url + CITIZEN_NAMESPACE, socketOpts({}));
          const synced = waitFor(s, 'sync');
          await synced;
          return s;
        });
        held.push(...sockets);
        process.send!({ ok: true, held: held.filter((s) => s.connected).length, ms: performance.now() - t } satisfies FromClient);
      } else if (msg.cmd === 'relay') {
        const navs = await Promise.all(msg.tokens.map(async (token) => {
          const s = connect(msg.url + NAVIGATOR_NAMESPACE, socketOpts({ token }));
          s.on('offer', (o: any) => s.emit('conversation:accept', { conversationId: o.conversation.id }, () => undefined));
          await waitFor(s, 'hello');
          return s;
        }));
        const citizens = await inBatches(msg.conversations, 50, async (i) => {
          const s = connect(msg.url + CITIZEN_NAMESPACE, socketOpts({}));
          await waitFor(s, 'sync');
          const joined = waitFor(s, 'state', (st) => st.responder === 'navigator');
          s.emit('message:send', { clientId: `h${i}`, text: '转人工' }, () => undefined);
          await joined;
          return s;
        });
        all.push(...navs, ...citizens);
        const report = await drive(citizens, navs, msg.rate, msg.seconds,
          (s, id, onAck) => s.emit('message:send', { clientId: id, text: id }, onAck),
          (m) => (m && m.sender === 'citizen' ? m.text : undefined));
        process.send!({ ok: true, report } satisfies FromClient);
      } else if (msg.cmd === 'echo') {
        const navs = await Promise.all(Array.from({ length: msg.navigators }, async (_, i) => {
          const s = connect(msg.url, socketOpts({ role: 'navigator', room: `r${i}` }));
          await waitFor(s, 'connect');
          return s;
        }));
        const citizens = await Promise.all(Array.from({ length: msg.conversations }, async (_, i) => {
          const s = connect(msg.url, socketOpts({ role: 'citizen', room: `r${i % msg.navigators}` }));
          await waitFor(s, 'connect');
          return s;
        }));
        all.push(...navs, ...citizens);
        const report = await drive(citizens, navs, msg.rate, msg.seconds,
          (s, id, onAck) => s.emit('msg', { clientId: id, text: id }, onAck),
          (m) => m?.text);
        process.send!({ ok: true, report } satisfies FromClient);
      } else if (msg.cmd === 'quit') {
        for (const s of [...held, ...all]) s.disconnect();
        process.send!({ ok: true } satisfies FromClient, () => process.exit(0));
      }
    } catch (e) {
      process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies FromClient);
    }
  });
}

if (process.argv.includes('--handoff-client')) {
  void client();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const overrides: Partial<BenchOptions> = positiveIntFlags(['connections', 'rate', 'seconds'] as const);
  run(overrides).then(
    (figures) => {
      for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(56)} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
