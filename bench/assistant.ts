/**
 * Assistant benchmark: answer latency in process (p50/p99 of Assistant.reply, retrieval included) and HTTP
 * throughput of POST /api/chat, printed beside a fastify hello-world measured in the same run (in a process of its
 * own, again just before the whole service's mixed load, with their ratio). On the sample
 * knowledge base and on a large synthetic one. HTTP is measured twice: the assistant alone behind the chat route,
 * and the whole service as `npm start` runs it (the server bundle in its own process: conversation service, every
 * turn persisted in SQLite before the reply), on one repeated question and on a mix; that process's resident
 * memory is read from /proc. The load generator (autocannon) runs in its own process, so the server's figure is
 * not shared with it in one event loop; both still share the machine's cores.
 * Targets: p50 ≤ 2 ms, p99 ≤ 10 ms in process; ≥ 1,000 answers/s over HTTP on 2 cores. Printed, never asserted.
 *
 *   npx tsx bench/assistant.ts [--items 15000] [--seconds 5]
 *
 * The large knowledge base comes from server/kb/synth.ts when it exists; otherwise every sample item is cloned
 * under new ids and names (one clone per district, round robin) until there are `items` items.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { startBundledService } from '../server/testing/bundled-service.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../server/kb/index.ts';
import { BEIJING_DISTRICTS, type ServiceItem } from '../server/kb/schema.ts';
import { buildRetriever, type Retriever } from '../server/retrieval/index.ts';
import { createGuides } from '../server/guides/index.ts';
import { createAssistant, createAssistantPipeline, createMemorySessionStore, type DaobanAssistant } from '../server/assistant/index.ts';
import { installErrorHandler } from '../server/http/errors.ts';
import { chatRoutes } from '../server/http/routes/chat.ts';
import { percentile, seededRandom } from './stats.ts';

type Figures = Record<string, number | string>;

export interface AssistantBenchOptions {
  /** Size of the synthetic knowledge base (default 15000; 0 skips it). */
  items: number;
  /** Seconds per HTTP run (default 5). */
  seconds?: number;
  /** In-process answers per knowledge base (default 3000). */
  calls?: number;
}

async function sampleKb(): Promise<{ kb: KnowledgeBase; source: string }> {
  const sample = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
  if (sample.kb) return { kb: sample.kb, source: 'knowledge-base/' };
  const fixture = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'server/assistant/__fixtures__/kb'));
  if (!fixture.kb) throw new Error('neither the sample nor the fixture knowledge base loads');
  return { kb: fixture.kb, source: `fixture slice (sample KB has ${sample.issues.filter((i) => i.severity === 'error').length} errors now)` };
}

/**
 * A large knowledge base: server/kb/synth.ts (written to a temp dir and loaded; `dir` is kept for the service
 * measurement, the caller removes it) when it works, else clones of the sample items.
 */
async function syntheticKb(base: KnowledgeBase, items: number): Promise<{ kb: KnowledgeBase; source: string; dir?: string; tmp?: string }> {
  const synthPath = path.join(PROJECT_ROOT, 'server/kb/synth.ts');
  if (fs.existsSync(synthPath)) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-synth-'));
    try {
      const mod = (await import(pathToFileURL(synthPath).href)) as {
        synthesizeKnowledgeBase?: (o: { from: string; out: string; items: number }) => Promise<unknown>;
      };
      if (mod.synthesizeKnowledgeBase) {
        await mod.synthesizeKnowledgeBase({ from: base.root, out: path.join(out, 'kb'), items });
        const loaded = await loadKnowledgeBase(path.join(out, 'kb'));
        if (loaded.kb) return { kb: loaded.kb, source: 'server/kb/synth.ts', dir: path.join(out, 'kb'), tmp: out };
      }
    } catch (e) {
      console.warn(`synthetic KB via server/kb/synth.ts failed (${(e as Error).message}); cloning sample items instead`);
    }
    fs.rmSync(out, { recursive: true, force: true });
  }
  return { kb: cloneKb(base, items), source: 'sample items cloned per district' };
}

function cloneKb(base: KnowledgeBase, items: number): KnowledgeBase {
  const clones: ServiceItem[] = [...base.items];
  for (let n = 0; clones.length < items; n++) {
    const src = base.items[n % base.items.length]!;
    const district = BEIJING_DISTRICTS[Math.floor(n / base.items.length) % BEIJING_DISTRICTS.length]!;
    const k = Math.floor(n / base.items.length);
    clones.push({
      ...src,
      id: `${src.id}-x${k}`,
      title: `${src.title}（${district}${k}）`,
      aliases: src.aliases.map((a) => `${district}${a}${k}`),
      ...(src.family ? { family: `${src.family}-x${k}` } : {}),
      level: '区级',
      district,
    });
  }
  return {
    ...base,
    hash: `${base.hash}-synth-${items}`,
    items: clones,
    itemsById: new Map(clones.map((i) => [i.id, i])),
  };
}

/** A mix of what citizens send: aspect questions by alias or title, follow-ups, clarifications, greetings. */
function workload(kb: KnowledgeBase, count: number): Array<{ message: string; followUp?: string }> {
  const rand = seededRandom(42);
  const asks = ['需要什么材料', '要多长时间', '在哪里办', '收费吗', '可以网上办吗', '办理流程是什么', '咨询电话是多少'];
  const out: Array<{ message: string; followUp?: string }> = [];
  for (let i = 0; i < count; i++) {
    const item = kb.items[Math.floor(rand() * kb.items.length)]!;
    const name = rand() < 0.5 ? item.title : item.aliases[Math.floor(rand() * item.aliases.length)] ?? item.title;
    const r = rand();
    if (r < 0.05) out.push({ message: '你好' });
    else if (r < 0.1) out.push({ message: '转人工' });
    else out.push({ message: `${name}${asks[Math.floor(rand() * asks.length)]}`, ...(rand() < 0.3 ? { followUp: '那要多久？' } : {}) });
  }
  return out;
}

async function measureInProcess(assistant: DaobanAssistant, kb: KnowledgeBase, calls: number): Promise<Figures> {
  const turns = workload(kb, calls);
  for (const t of turns.slice(0, 200)) await assistant.reply({ sessionId: 'warm', message: t.message }); // warm-up
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let n = 0;
  for (const t of turns) {
    const sessionId = `s${n++}`;
    for (const message of [t.message, ...(t.followUp ? [t.followUp] : [])]) {
      const t0 = performance.now();
      const r = await assistant.reply({ sessionId, message });
      times.push(performance.now() - t0);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  }
  times.sort((a, b) => a - b);
  return {
    'answers': times.length,
    'p50 ms (target ≤ 2)': percentile(times, 50),
    'p99 ms (target ≤ 10)': percentile(times, 99),
    'max ms': times.at(-1) ?? NaN,
    'statuses': Object.entries(statuses).map(([k, v]) => `${k}:${v}`).join(' '),
  };
}

/** autocannon in a child process (its CLI, JSON result): requests/s. */
async function cannon(url: string, seconds: number, body?: string): Promise<number> {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');
  const args = [cli, '--json', '-c', '16', '-p', '1', '-d', String(seconds)];
  if (body) args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', body);
  args.push(url);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout) as { non2xx: number; errors: number; requests: { average: number } };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx responses and ${result.errors} errors from ${url}`);
  return result.requests.average;
}

const CHAT_BODY = JSON.stringify({ message: '北京市居住证首次申领要多长时间' });

/** A fastify hello-world in its own process (bench/hello-server.ts) under the same load generator: requests/s. */
async function helloWorld(seconds: number): Promise<number> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, path.join(PROJECT_ROOT, 'bench', 'hello-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('http'));
        if (line) resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`the hello-world server exited with ${code}`)));
    });
    return await cannon(url, seconds);
  } finally {
    child.kill();
  }
}

async function measureHttp(assistant: DaobanAssistant, seconds: number): Promise<{ chat: number; hello: number }> {
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  await app.register(chatRoutes, { pipeline: createAssistantPipeline(assistant) });
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const helloRps = await helloWorld(seconds);
    const chatRps = await cannon(`${appUrl}/api/chat`, seconds, CHAT_BODY);
    return { chat: chatRps, hello: helloRps };
  } finally {
    await app.close();
  }
}

/** Resident and peak memory of a process (Linux /proc), MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** POST /api/chat under a realistic mix of questions (bench/chat-load.ts in its own process): requests/s. */
async function mixedLoad(url: string, bodies: readonly string[], seconds: number): Promise<number> {
  const file = path.join(os.tmpdir(), `daoban-chat-bodies-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(bodies));
  try {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, path.join(PROJECT_ROOT, 'bench', 'chat-load.ts'), url, file, String(seconds)], { maxBuffer: 1 << 24 });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { rps: number; non2xx: number; errors: number };
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx responses and ${r.errors} errors from ${url}`);
    return r.rps;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * The whole service as `npm start` runs it (the server bundle, its own process, every turn persisted in SQLite
 * before the reply) over a knowledge-base directory, its index from `indexDir`: throughput on one repeated
 * question and on a mix, and the process's resident memory at ready, after the load, and at its peak.
 */
async function measureService(kbDir: string, indexDir: string, kb: KnowledgeBase, seconds: number, searchThread = true): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-assistant-data-'));
  const service = await startBundledService({
    DATA_DIR: dataDir, KB_DIR: kbDir, INDEX_DIR: indexDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', SEARCH_THREAD: String(searchThread),
  });
  const { child, chatUrl: url } = service;
  try {
    // ready to serve at full speed once /healthz says the background indexes are built (bounded wait)
    const health = url.replace(/\/api\/chat$/, '/healthz');
    const warmSince = performance.now();
    for (let i = 0; i < 600; i++) {
      if (((await (await fetch(health)).json()) as { warm?: boolean }).warm) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const warmMs = performance.now() - warmSince;
    const ready = memoryOf(child.pid!);
    const one = await cannon(url, seconds, CHAT_BODY);
    const mix = workload(kb, 4000).map((t) => JSON.stringify({ message: t.message }));
    // the ceiling again, just before: these machines' speed changes from one minute to the next
    const hello = await helloWorld(seconds);
    const mixed = await mixedLoad(url, mix, seconds);
    const after = memoryOf(child.pid!);
    return {
      'service: background warm-up after listening (ms)': Math.round(warmMs),
      'HTTP /api/chat, whole service, one question, answers/s (target ≥ 1000)': Math.round(one),
      'HTTP /api/chat, whole service, mixed questions, answers/s (target ≥ 1000)': Math.round(mixed),
      'fastify hello-world just before the mix, req/s (own process)': Math.round(hello),
      'whole service mixed / hello-world': mixed / hello,
      'service process RSS at ready / after load / peak (MB, target ≤ 600)': `${ready.rss} / ${after.rss} / ${after.peak}`,
    };
  } finally {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchKb(label: string, kb: KnowledgeBase, kbDir: string | undefined, opts: Required<AssistantBenchOptions>): Promise<Figures> {
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-assistant-index-'));
  try {
    const t0 = performance.now();
    const retriever: Retriever = await buildRetriever(kb, { cacheDir: indexDir });
    const buildMs = performance.now() - t0;
    const assistant = createAssistant({ kb, retriever, guides: createGuides(kb), sessions: createMemorySessionStore({ maxSessions: 50_000 }) });
    await assistant.prepare(kb); // as the service does after a load: per-KB indexes, then every item's terms
    const figures: Figures = { [`${label}: items`]: kb.items.length, [`${label}: index build ms`]: buildMs };
    for (const [k, v] of Object.entries(await measureInProcess(assistant, kb, opts.calls))) figures[`${label}: ${k}`] = v;
    const { chat, hello } = await measureHttp(assistant, opts.seconds);
    figures[`${label}: HTTP fastify hello-world req/s`] = Math.round(hello);
    figures[`${label}: HTTP /api/chat, assistant alone, answers/s (target ≥ 1000)`] = Math.round(chat);
    figures[`${label}: chat / hello-world`] = chat / hello;
    if (kbDir) {
      for (const [k, v] of Object.entries(await measureService(kbDir, indexDir, kb, opts.seconds))) figures[`${label}: ${k}`] = v;
      // the same with the ranking on the main thread (SEARCH_THREAD=false)
      for (const [k, v] of Object.entries(await measureService(kbDir, indexDir, kb, opts.seconds, false))) figures[`${label}, ranking on the main thread: ${k}`] = v;
    }
    return figures;
  } finally {
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
}

export async function run(options: AssistantBenchOptions): Promise<Figures> {
  const opts: Required<AssistantBenchOptions> = { seconds: 5, calls: 3000, ...options };
  const { kb, source } = await sampleKb();
  const figures: Figures = { 'sample KB': source };
  Object.assign(figures, await benchKb('sample', kb, source === 'knowledge-base/' ? kb.root : undefined, opts));
  if (opts.items > 0) {
    const synth = await syntheticKb(kb, opts.items);
    figures['synthetic KB'] = synth.source;
    try {
      Object.assign(figures, await benchKb(`synthetic ${opts.items}`, synth.kb, synth.dir, opts));
    } finally {
      if (synth.tmp) fs.rmSync(synth.tmp, { recursive: true, force: true });
    }
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '15000' }, seconds: { type: 'string', default: '5' }, calls: { type: 'string', default: '3000' } } });
  run({ items: Number(values.items), seconds: Number(values.seconds), calls: Number(values.calls) })
    .then((f) => {
      for (const [k, v] of Object.entries(f)) console.log(`  ${k.padEnd(58)} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
