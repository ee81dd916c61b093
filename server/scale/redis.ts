/**
 * Redis connections for multi-instance mode. Commands wait (offline queue, no retry limit) while Redis is
 * down or restarting instead of failing, and ioredis reconnects and resubscribes on its own: a Redis restart
 * pauses cross-instance traffic, it never crashes an instance.
 */
import { Redis } from 'ioredis';

export type { Redis };

export interface RedisLog {
  warn(obj: unknown, msg: string): void;
}

export function connectRedis(url: string, name: string, log?: RedisLog): Redis {
  const client = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log?.warn({ err: err.message, connection: name }, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    down = false;
  });
  return client;
}
