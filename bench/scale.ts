/**
 * Multi-instance benchmark (loopback only, bounded loops): real service processes on PostgreSQL + Redis.
 *   1. one instance: N concurrent citizen connections held, then 100 citizens chat with navigators for S seconds
 *      at R messages/s: relay latency citizen → navigator (p50/p99) and delivered throughput;
 *   2. three instances behind nothing but client-side spreading: the same N connections spread over them, and the
 *      same chat with every citizen and its navigator on DIFFERENT instances (each message crosses Redis).
 * Figures are printed side by side, never asserted.
 *
 *   npx tsx bench/scale.ts [--connections 6000] [--rate 1000] [--seconds 5]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { NavigatorAccounts } from '../server/handoff/accounts.ts';
import { systemClock } from '../server/handoff/clock.ts';
import type { CitizenSync, MessageView } from '../server/realtime/protocol.ts';
import { startClusterEnv, type Instance } from '../server/scale/testing/cluster-harness.ts';
import { openPostgres, PostgresHandoffStore } from '../server/storage/postgres/index.ts';
import { positiveIntFlags } from './stats.ts';

interface Options { connections: number; rate: number; seconds: number; conversations: number; navigators: number }
const DEFAULTS: Options = { connections: 6000, rate: 1000, seconds: 5, conversations: 100, navigators: 10 };
type Figures = Record<string, number | string>;

function sock(url: string, ns: string, auth: object): Socket {
  return io(url + ns, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, auth });
}

async function ack<T = Record<string, unknown>>(s: Socket, event: string, payload: object = {}): Promise<T> {
  const r = (await s.timeout(30_000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } } & T;
  if (!r.ok) throw new Error(`${event}: ${r.error?.code}`);
  return r;
}

/** Opens `count` citizen sockets round-robin over the instances, 200 handshakes at a time. */
async function hold(instances: Instance[], count: number): Promise<Socket[]> {
  const out: Socket[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from({ length: Math.min(200, count - i) }, (_, j) => {
      const s = sock(instances[(i + j) % instances.length]!.url, '/citizen', {});
      return new Promise<Socket>((resolve, reject) => {
        s.once('sync', () => resolve(s));
        s.once('connect_error', reject);
      });
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

const q = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function chat(instances: Instance[], store: PostgresHandoffStore, o: Options, label: string, offset: number): Promise<Figures> {
  const accounts = new NavigatorAccounts(store, systemClock);
  const navs: Array<{ s: Socket; inst: number }> = [];
  for (let i = 0; i < o.navigators; i++) {
    const username = `bench-${offset}-${label.replace(/\W+/g, "")}-${i}`.slice(0, 40);
    await accounts.create({ username, password: 'bench-password', name: `导办员${i}`, skills: ['general'], capacity: Math.ceil(o.conversations / o.navigators) });
    const inst = (i + offset) % instances.length;
    const res = await fetch(`${instances[inst]!.url}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'bench-password' }) });
    const { token } = (await res.json()) as { token: string };
    const s = sock(instances[inst]!.url, '/navigator', { token, status: 'away' });
    await new Promise((r) => s.once('hello', r));
    navs.push({ s, inst });
  }
  // Each citizen sits on an instance other than its navigator's (when there are several).
  const pairs: Array<{ citizen: Socket; nav: Socket; conversationId: string }> = [];
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  for (let i = 0; i < o.conversations; i++) {
    const nav = navs[i % navs.length]!;
    const inst = instances.length > 1 ? (nav.inst + 1) % instances.length : 0;
    const citizen = sock(instances[inst]!.url, '/citizen', {});
    const sync = await new Promise<CitizenSync>((r) => citizen.once('sync', r));
    await ack(citizen, 'handoff:request');
    const conversationId = (await store.getConversationBySession(sync.sessionId))!.id;
    await ack(nav.s, 'conversation:accept', { conversationId });
    pairs.push({ citizen, nav: nav.s, conversationId });
  }
  for (const n of navs) {
    n.s.on('message', (m: MessageView) => {
      const t = m.clientId ? sentAt.get(m.clientId) : undefined;
      if (t !== undefined && m.sender === 'citizen') latencies.push(performance.now() - t);
    });
  }
  const total = o.rate * o.seconds;
  const t0 = performance.now();
  let sent = 0;
  let acked = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * o.rate) + 1);
    for (; sent < due; sent++) {
      const p = pairs[sent % pairs.length]!;
      const clientId = `${label}-${sent}`;
      sentAt.set(clientId, performance.now());
      p.citizen.emit('message:send', { clientId, text: `第${sent}条消息` }, () => { acked++; });
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const sendEnd = performance.now();
  for (let i = 0; i < 400 && latencies.length < total; i++) await new Promise((r) => setTimeout(r, 25));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  for (const p of pairs) p.citizen.disconnect();
  for (const n of navs) n.s.disconnect();
  return {
    [`${label} sent`]: total, [`${label} delivered`]: latencies.length, [`${label} acked`]: acked,
    [`${label} relay p50 ms`]: +q(latencies, 0.5).toFixed(1), [`${label} relay p99 ms`]: +q(latencies, 0.99).toFixed(1),
    [`${label} delivered/s`]: Math.round(latencies.length / elapsed), [`${label} send window s`]: +((sendEnd - t0) / 1000).toFixed(2),
  };
}

export async function run(overrides: Partial<Options> = {}): Promise<Figures> {
  const o: Options = { ...DEFAULTS, ...overrides };
  const env = await startClusterEnv();
  const pool = openPostgres(env.schema.url, { max: 4 });
  const figures: Figures = { connections: o.connections, 'target msg/s': o.rate, seconds: o.seconds, conversations: o.conversations };
  // The machine may be shared: the load when the run began tells how much the figures can be trusted.
  figures['load average 1/5/15 min at start'] = os.loadavg().map((l) => l.toFixed(2)).join(' / ');
  try {
    const a = await env.start('a');
    const store = await PostgresHandoffStore.open(pool);
    let held = await hold([a], o.connections);
    figures['1 instance: connections held'] = held.length;
    Object.assign(figures, await chat([a], store, o, '1 instance', 0));
    for (const s of held) s.disconnect();

    const [b, c] = await Promise.all([env.start('b'), env.start('c')]);
    held = await hold([a, b, c], o.connections);
    figures['3 instances: connections held'] = held.length;
    Object.assign(figures, await chat([a, b, c], store, o, '3 instances (cross-instance)', 0));
    for (const s of held) s.disconnect();
  } finally {
    await pool.end();
    await env.dispose();
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const overrides: Partial<Options> = positiveIntFlags(['connections', 'rate', 'seconds'] as const);
  run(overrides).then((f) => {
    for (const [k, v] of Object.entries(f)) console.log(`${k.padEnd(48)} ${v}`);
    process.exit(0);
  }, (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
