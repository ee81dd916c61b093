/**
 * ClusterPort on Redis: navigator presence per instance in one hash (field "<instance>|<navigator>"),
 * instance liveness keys with a TTL (a crashed instance's presence is dropped once its key expires),
 * change notices on a pub/sub channel, and a lock (SET NX PX + compare-and-delete).
 * After a Redis restart (empty, or another Redis) each instance writes its presence again on reconnect.
 */
import crypto from 'node:crypto';
import type { ClusterPort, ClusterPresence } from '../handoff/cluster.ts';
import { connectRedis, type Redis, type RedisLog } from './redis.ts';

export interface RedisClusterOptions {
  url: string;
  /** Key prefix shared by the instances of one deployment (e.g. "daoban:"). */
  prefix: string;
  instanceId: string;
  /** Liveness heartbeat (default 5 s); an instance silent for 3 heartbeats is gone. */
  heartbeatMs?: number;
  log?: RedisLog;
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class RedisCluster implements ClusterPort {
  readonly instanceId: string;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly heartbeatMs: number;
  private readonly own = new Map<string, ClusterPresence>();
  private remote = new Map<string, ClusterPresence>();
  private readonly listeners = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private changePending = false;
  private closed = false;
  private refreshing?: Promise<void>;

  private constructor(opts: RedisClusterOptions) {
    this.instanceId = opts.instanceId;
    this.prefix = opts.prefix;
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.cmd = connectRedis(opts.url, `daoban-cluster-${opts.instanceId}`, opts.log);
    this.sub = connectRedis(opts.url, `daoban-cluster-sub-${opts.instanceId}`, opts.log);
  }

  static async connect(opts: RedisClusterOptions): Promise<RedisCluster> {
    const c = new RedisCluster(opts);
    c.sub.on('message', (_channel: string, raw: string) => c.onMessage(raw));
    await c.sub.subscribe(c.channel);
    // Reconnected (Redis restarted): write this instance's liveness and presence again.
    c.cmd.on('ready', () => void c.announce().catch(() => undefined));
    await c.announce();
    c.timer = setInterval(() => void c.announce().catch(() => undefined), c.heartbeatMs);
    c.timer.unref();
    return c;
  }

  private get channel(): string {
    return `${this.prefix}cluster`;
  }

  private get presenceKey(): string {
    return `${this.prefix}presence`;
  }

  private aliveKey(instanceId: string): string {
    return `${this.prefix}alive:${instanceId}`;
  }

  remotePresence(): ReadonlyMap<string, ClusterPresence> {
    return this.remote;
  }

  setPresence(navigatorId: string, presence: ClusterPresence | undefined): void {
    const field = `${this.instanceId}|${navigatorId}`;
    if (presence) this.own.set(navigatorId, presence);
    else this.own.delete(navigatorId);
    const write = presence ? this.cmd.hset(this.presenceKey, field, JSON.stringify(presence)) : this.cmd.hdel(this.presenceKey, field);
    void write.then(() => this.publish('presence')).catch(() => undefined);
  }

  changed(): void {
    if (this.changePending || this.closed) return;
    this.changePending = true;
    setImmediate(() => {
      this.changePending = false;
      this.publish('changed');
    });
  }

  onRemoteChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${this.prefix}lock:${key}`;
    const token = crypto.randomBytes(12).toString('base64url');
    // Held for at most 10 s (an instance dying inside the section cannot block the key for longer).
    for (let attempt = 0; ; attempt++) {
      if ((await this.cmd.set(lockKey, token, 'PX', 10_000, 'NX')) === 'OK') break;
      await new Promise((r) => setTimeout(r, Math.min(2 + attempt * 2, 25)));
    }
    try {
      return await fn();
    } finally {
      await this.cmd.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
    }
  }

  /** Heartbeat: liveness key, own presence, then a fresh read of everyone else's. */
  private async announce(): Promise<void> {
    if (this.closed) return;
    const multi = this.cmd.multi().set(this.aliveKey(this.instanceId), '1', 'PX', this.heartbeatMs * 3);
    for (const [id, p] of this.own) multi.hset(this.presenceKey, `${this.instanceId}|${id}`, JSON.stringify(p));
    await multi.exec();
    await this.refresh();
  }

  private publish(kind: 'presence' | 'changed'): void {
    if (this.closed) return;
    void this.cmd.publish(this.channel, JSON.stringify({ from: this.instanceId, kind })).catch(() => undefined);
  }

  private onMessage(raw: string): void {
    let msg: { from?: string; kind?: string };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return;
    }
    if (msg.from === this.instanceId) return;
    if (msg.kind === 'presence') void this.refresh().then(() => this.notify(), () => undefined);
    else this.notify();
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  /** Re-reads the presence of the other live instances; entries of instances whose liveness expired are removed. */
  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const all = await this.cmd.hgetall(this.presenceKey);
        const byInstance = new Map<string, Array<[string, ClusterPresence]>>();
        for (const [field, json] of Object.entries(all)) {
          const [instance, navigatorId] = field.split('|');
          if (!instance || !navigatorId || instance === this.instanceId) continue;
          const list = byInstance.get(instance) ?? [];
          list.push([navigatorId, JSON.parse(json) as ClusterPresence]);
          byInstance.set(instance, list);
        }
        const instances = [...byInstance.keys()];
        const alive = instances.length ? await this.cmd.mget(...instances.map((i) => this.aliveKey(i))) : [];
        const next = new Map<string, ClusterPresence>();
        for (const [i, instance] of instances.entries()) {
          const entries = byInstance.get(instance)!;
          if (!alive[i]) {
            await this.cmd.hdel(this.presenceKey, ...entries.map(([id]) => `${instance}|${id}`));
            continue;
          }
          for (const [id, p] of entries) {
            const seen = next.get(id);
            next.set(id, seen
              ? { ...seen, sockets: seen.sockets + p.sockets, status: seen.status === 'available' || p.status === 'available' ? 'available' : 'away', idleSince: Math.min(seen.idleSince, p.idleSince) }
              : p);
          }
        }
        this.remote = next;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    const fields = [...this.own.keys()].map((id) => `${this.instanceId}|${id}`);
    this.own.clear();
    const multi = this.cmd.multi().del(this.aliveKey(this.instanceId));
    if (fields.length) multi.hdel(this.presenceKey, ...fields);
    await Promise.race([multi.exec(), new Promise((r) => setTimeout(r, 1000))]);
    await this.cmd.publish(this.channel, JSON.stringify({ from: this.instanceId, kind: 'presence' })).catch(() => undefined);
    this.closed = true;
    this.cmd.disconnect();
    this.sub.disconnect();
  }
}
