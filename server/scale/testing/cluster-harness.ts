/**
 * Multi-instance test harness: a private redis-server (stoppable without disturbing anyone), a fresh
 * PostgreSQL schema, a knowledge base open around the clock, and real service processes (server/main.ts via
 * tsx) on free ports sharing them; plus a round-robin TCP balancer in front, as in a deployment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { PROJECT_ROOT } from '../../config/config.ts';
import { createTestSchema, type TestSchema } from './postgres-schema.ts';

const FIXTURE_KB = path.join(PROJECT_ROOT, 'server/assistant/__fixtures__/kb');

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Our own redis-server (no persistence) so a test may stop and restart it. */
export class PrivateRedis {
  private proc?: ChildProcess;
  private constructor(readonly port: number) {}
  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPort(this.port);
  }
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    p.kill('SIGKILL');
    await once(p, 'exit');
  }
}

/** A knowledge base (the assistant fixture) whose navigator calendar is open now and for the next hours. */
export function openAllDayKb(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-scale-kb-'));
  fs.cpSync(FIXTURE_KB, dir, { recursive: true });
  // A fixed-offset zone in which it is about noon: 00:00–23:59 every day leaves no gap within hours of now.
  const east = ((12 - new Date().getUTCHours() + 36) % 24) - 12;
  const zone = east === 0 ? 'Etc/GMT' : `Etc/GMT${east > 0 ? '-' : '+'}${Math.abs(east)}`;
  fs.writeFileSync(path.join(dir, 'calendar.yaml'),
    `timezone: ${zone}\nworkingHours:\n  - { weekdays: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "23:59" }\nholidays: []\nworkdays: []\n`);
  return dir;
}

export interface Instance {
  name: string;
  url: string;
  port: number;
  proc: ChildProcess;
  /** Log lines (JSON) printed so far. */
  logs: Array<Record<string, unknown>>;
  /** SIGTERM: drains, closes and exits; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ClusterEnv {
  schema: TestSchema;
  redis: PrivateRedis;
  kbDir: string;
  indexDir: string;
  prefix: string;
  instances: Instance[];
  start(name: string): Promise<Instance>;
  dispose(): Promise<void>;
}

export async function startClusterEnv(): Promise<ClusterEnv> {
  const schema = await createTestSchema();
  const redis = await PrivateRedis.start();
  const kbDir = openAllDayKb();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-scale-'));
  const indexDir = path.join(root, 'index');
  const prefix = `daoban-test-${path.basename(root)}:`;
  const instances: Instance[] = [];
  const env: ClusterEnv = {
    schema, redis, kbDir, indexDir, prefix, instances,
    async start(name) {
      const port = await freePort();
      const proc = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env, PORT: String(port), HOST: '127.0.0.1', KB_DIR: kbDir, DATA_DIR: path.join(root, name), INDEX_DIR: indexDir,
          STORAGE: 'postgres', DATABASE_URL: schema.url, REDIS_URL: redis.url, REDIS_PREFIX: prefix, INSTANCE_ID: name, LOG_LEVEL: 'info',
          ALLOWED_ORIGINS: `http://127.0.0.1:${port}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const logs: Array<Record<string, unknown>> = [];
      let buffered = '';
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const ready = new Promise<void>((resolve, reject) => {
        proc.stdout!.on('data', (d: Buffer) => {
          buffered += d.toString();
          let nl;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            if (line.startsWith('{')) {
              try { logs.push(JSON.parse(line) as Record<string, unknown>); } catch { /* not a log line */ }
            }
            if (line.startsWith('Daoban is running')) resolve();
          }
        });
        proc.once('exit', (code) => reject(new Error(`instance ${name} exited (${code}) before listening:\n${stderr.slice(-2000)}`)));
      });
      await ready;
      const inst: Instance = {
        name, url: `http://127.0.0.1:${port}`, port, proc, logs,
        async stop() {
          if (proc.exitCode !== null) return proc.exitCode;
          const exited = once(proc, 'exit');
          proc.kill('SIGTERM');
          const [code] = (await exited) as [number | null];
          return code;
        },
      };
      instances.push(inst);
      return inst;
    },
    async dispose() {
      await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
      await redis.stop();
      await schema.drop();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(kbDir, { recursive: true, force: true });
    },
  };
  return env;
}

/** A round-robin TCP balancer over the given ports, skipping backends that refuse connections. */
export async function startBalancer(ports: () => number[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const candidates = ports();
    const tryBackend = (attempt: number) => {
      if (attempt >= candidates.length) return client.destroy();
      const port = candidates[next++ % candidates.length]!;
      const upstream = net.connect(port, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      upstream.once('error', () => { if (!connected) tryBackend(attempt + 1); });
    };
    tryBackend(0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
