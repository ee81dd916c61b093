import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root (knowledge-base/, prompts/, widget/dist): the nearest directory above this module holding
 * Daoban's package.json, so the same code works from server/ (tsx) and from the bundle in dist/ (npm start).
 */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'daoban') return dir;
    } catch {
      // no package.json here, or not ours: keep looking
    }
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}

/** Everything the service reads from the environment. Each field's default keeps Daoban fully offline. */
export interface Config {
  /** HTTP port (PORT, default 8080). */
  port: number;
  /** Bind address (HOST, default 127.0.0.1). */
  host: string;
  /** Public base URL used in links (PUBLIC_URL, default http://HOST:PORT). */
  publicUrl: string;
  /** Where SQLite, the search index cache and checklists live (DATA_DIR, default ./data). */
  dataDir: string;
  /** Knowledge-base root (KB_DIR, default ./knowledge-base). */
  kbDir: string;
  /** Reload the knowledge base when its files change (KB_WATCH, default false). */
  kbWatch: boolean;
  /** Token for /api/admin/* (ADMIN_TOKEN; unset disables the admin endpoints). */
  adminToken: string | undefined;
  /** Portal origins allowed to embed the widget (ALLOWED_ORIGINS, comma separated; default: the service's own origin). */
  allowedOrigins: string[];
  /** Optional OpenAI-compatible chat model (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, LLM_TIMEOUT_MS). */
  llm: { baseUrl: string; apiKey: string; model: string; timeoutMs: number } | undefined;
  /** Optional OpenAI-compatible embeddings (EMBEDDINGS_BASE_URL, EMBEDDINGS_API_KEY, EMBEDDINGS_MODEL). */
  embeddings: { baseUrl: string; apiKey: string; model: string } | undefined;
  /** Storage backend (STORAGE = sqlite | postgres, default sqlite; DATABASE_URL for postgres). */
  storage: { kind: 'sqlite' } | { kind: 'postgres'; url: string };
  /** Redis for multi-instance mode (REDIS_URL; unset = single instance, in-process queue). Needs STORAGE=postgres. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel of this deployment (REDIS_PREFIX, default "daoban:"). */
  redisPrefix: string;
  /** Search index cache, shared by the instances of a deployment (INDEX_DIR, default DATA_DIR/index). */
  indexDir: string;
  /**
   * Rank searches in a thread of their own beside the main one (SEARCH_THREAD, default true): takes the ranking
   * (about a third of an answer on a large knowledge base) off the main thread, for ~40 MB more resident memory.
   * Measured on two cores shared with the load generator, 15k synthetic KB: 787–857 answers/s against 603–705
   * with the ranking on the main thread; false keeps everything on one thread (the smallest footprint).
   */
  searchThread: boolean;
  /** Instance name in logs and multi-instance mode (INSTANCE_ID, default hostname-pid). */
  instanceId: string;
  /** Log level (LOG_LEVEL, default info; "silent" in tests). */
  logLevel: string;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/$/, '');
  const llm = env.LLM_BASE_URL
    ? {
        baseUrl: env.LLM_BASE_URL,
        apiKey: env.LLM_API_KEY || 'not-needed',
        model: env.LLM_MODEL || 'gpt-4o-mini',
        timeoutMs: int(env, 'LLM_TIMEOUT_MS', 8000, 100),
      }
    : undefined;
  const embeddings = env.EMBEDDINGS_BASE_URL
    ? {
        baseUrl: env.EMBEDDINGS_BASE_URL,
        apiKey: env.EMBEDDINGS_API_KEY || env.LLM_API_KEY || 'not-needed',
        model: env.EMBEDDINGS_MODEL || 'text-embedding-3-small',
      }
    : undefined;
  const storageKind = env.STORAGE || 'sqlite';
  let storage: Config['storage'];
  if (storageKind === 'sqlite') storage = { kind: 'sqlite' };
  else if (storageKind === 'postgres') {
    if (!env.DATABASE_URL) throw new ConfigError('STORAGE=postgres needs DATABASE_URL');
    storage = { kind: 'postgres', url: env.DATABASE_URL };
  } else throw new ConfigError(`STORAGE must be sqlite or postgres, got "${storageKind}"`);
  if (env.REDIS_URL && storage.kind !== 'postgres') throw new ConfigError('REDIS_URL (several instances) needs STORAGE=postgres and DATABASE_URL');
  const dataDir = path.resolve(env.DATA_DIR || path.join(PROJECT_ROOT, 'data'));

  return {
    port,
    host,
    publicUrl,
    dataDir,
    kbDir: path.resolve(env.KB_DIR || path.join(PROJECT_ROOT, 'knowledge-base')),
    kbWatch: bool(env, 'KB_WATCH', false),
    adminToken: env.ADMIN_TOKEN || undefined,
    allowedOrigins: list(env.ALLOWED_ORIGINS).length ? list(env.ALLOWED_ORIGINS) : [new URL(publicUrl).origin],
    llm,
    embeddings,
    storage,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || 'daoban:',
    indexDir: path.resolve(env.INDEX_DIR || path.join(dataDir, 'index')),
    searchThread: bool(env, 'SEARCH_THREAD', true),
    instanceId: env.INSTANCE_ID || `${process.env.HOSTNAME ?? 'daoban'}-${process.pid}`,
    logLevel: env.LOG_LEVEL || 'info',
    ...overrides,
  };
}
