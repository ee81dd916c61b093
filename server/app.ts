/**
 * The composition root: builds every capability from the configuration and wires them together.
 * Each capability lives in its own folder and exposes a small public surface (its index.ts);
 * this file is the only place that knows them all.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/config.ts';
import { installErrorHandler } from './http/errors.ts';

export interface DaobanApp {
  config: Config;
  http: FastifyInstance;
  /** Listen on config.host:config.port (port 0 picks a free one); resolves to the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function buildApp(config: Config): Promise<DaobanApp> {
  const http = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 256 * 1024,
    trustProxy: true,
  });
  installErrorHandler(http);
  const closers: Array<() => Promise<void> | void> = [];

  // --- wiring: capabilities register here, in dependency order -------------------------------

  http.get('/healthz', async () => ({ ok: true, instance: config.instanceId }));

  // --- end of wiring ----------------------------------------------------------------------------

  return {
    config,
    http,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      const addr = http.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      return `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    },
    async close() {
      for (const close of closers.reverse()) await close();
      await http.close();
    },
  };
}
