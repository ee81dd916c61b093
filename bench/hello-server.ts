/**
 * A fastify hello-world in a process of its own, the ceiling the chat figures are printed beside: alone, it is not
 * slowed by the benchmark process's own large heap. Prints its URL on one line.
 *
 *   node --import tsx bench/hello-server.ts
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
