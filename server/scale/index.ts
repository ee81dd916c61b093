/**
 * Multi-instance coordination (REDIS_URL with STORAGE=postgres): the Redis cluster port for the
 * conversation service, the socket.io Redis adapter, and the once-per-KB index build lock.
 */
export { RedisCluster, type RedisClusterOptions } from './cluster.ts';
export { useRedisAdapter } from './socket-adapter.ts';
export { withAdvisoryLock } from './index-lock.ts';
export { connectRedis } from './redis.ts';
