/** socket.io across instances: the Redis pub/sub adapter on its own pair of connections. */
import { createAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import { connectRedis, type RedisLog } from './redis.ts';

export function useRedisAdapter(io: Server, opts: { url: string; prefix: string; instanceId: string; log?: RedisLog }): () => Promise<void> {
  const pub = connectRedis(opts.url, `daoban-io-pub-${opts.instanceId}`, opts.log);
  const sub = pub.duplicate();
  sub.on('error', () => undefined);
  io.adapter(createAdapter(pub, sub, { key: `${opts.prefix}socket.io`, requestsTimeout: 3000 }));
  return async () => {
    pub.disconnect();
    sub.disconnect();
  };
}
