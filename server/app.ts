/**
 * The composition root: builds every capability from the configuration and wires them together.
 * Each capability lives in its own folder and exposes a small public surface (its index.ts);
 * this file is the only place that knows them all.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/config.ts';
import { installErrorHandler } from './http/errors.ts';
import { createKnowledgeBaseHolder, type KnowledgeBaseHolder } from './kb/index.ts';
import { kbValidators } from './kb/validators.ts';
import { registerAdminKbRoutes } from './http/routes/admin-kb.ts';
import path from 'node:path';
import type { KnowledgeBase } from './kb/index.ts';
import { openStores } from './storage/open-stores.ts';
import { buildRetriever, type BuiltRetriever } from './retrieval/index.ts';
import { createGuides, type Guides } from './guides/index.ts';
import { createAssistant, createLlmComposer, type ChatPipeline } from './assistant/index.ts';
import { registerOpenApi } from './http/openapi.ts';
import { chatRoutes } from './http/routes/chat.ts';
import { openAiRoutes } from './http/routes/openai.ts';
import { searchRoutes } from './http/routes/search.ts';
import { guideRoutes } from './http/routes/guides.ts';
import { createKbSuggest, HandoffService, prepareRouting } from './handoff/index.ts';
import { attachRealtime } from './realtime/index.ts';
import { registerConsoleRoutes } from './http/routes/console.ts';
import { registerHandoffRoutes } from './http/routes/handoff.ts';
import { registerConsolePage } from './http/routes/console-page.ts';
import { registerOriginGate, socketOriginCheck } from './http/origins.ts';
import { registerPages } from './http/routes/pages.ts';
import { speechRoutes } from './http/routes/speech.ts';
import { feedbackRoutes } from './http/routes/feedback.ts';

export interface DaobanApp {
  config: Config;
  http: FastifyInstance;
  /** The serving knowledge base: `kb.current()`, `kb.onChange(...)` for capabilities that cache on it. */
  kb: KnowledgeBaseHolder;
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

  // Portal origins (ALLOWED_ORIGINS): CORS for the HTTP API; other browser origins get 403 DB_ORIGIN_NOT_ALLOWED.
  await registerOriginGate(http, config.allowedOrigins);

  // The OpenAPI document describes the routes registered after it.
  await registerOpenApi(http, { publicUrl: config.publicUrl });

  // Knowledge base first: an invalid one stops the start (the error lists every issue as file:line field: message).
  const kb = await createKnowledgeBaseHolder(config.kbDir, { validators: kbValidators, watch: config.kbWatch, logger: http.log });
  closers.push(() => kb.close());
  registerAdminKbRoutes(http, { holder: kb, adminToken: config.adminToken });

  // Storage: SQLite in DATA_DIR, or PostgreSQL shared by several instances (each store applies its own migrations).
  const stores = await openStores(config);
  closers.push(() => stores.close());

  // Retrieval: the search index follows the knowledge base (cached under INDEX_DIR by KB hash; rebuilt on reload).
  // On PostgreSQL an advisory lock per KB hash makes one instance build while the others wait and load its copy.
  const indexOptions = { cacheDir: config.indexDir, searchThread: config.searchThread, ...(config.embeddings ? { embeddings: config.embeddings } : {}), logger: http.log };
  // Multi-instance support (Redis, advisory locks) is loaded only when configured.
  const scale = stores.pool || config.redisUrl ? await import('./scale/index.ts') : undefined;
  const buildIndex = (k: KnowledgeBase) => {
    const pool = stores.pool;
    return pool && scale ? scale.withAdvisoryLock(pool, `daoban-index:${k.hash}`, () => buildRetriever(k, indexOptions)) : buildRetriever(k, indexOptions);
  };
  let retriever: BuiltRetriever = await buildIndex(kb.current()).then((r) => {
    http.log.info({ loadedFromCache: r.stats.loadedFromCache, indexDir: r.stats.indexDir, ms: Math.round(r.stats.ms) }, 'search index ready');
    return r;
  });
  // The assistant, guides and handoff routing derive their own indexes from each knowledge base: built with the
  // search index, so the first question after a start or reload does not wait for them.
  const prepare: Array<(k: KnowledgeBase) => unknown> = [];
  // Background work still running for the current knowledge base (reported by /healthz as warm: false).
  const warming = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    warming.add(work);
    void work.finally(() => warming.delete(work));
  };
  closers.push(kb.onChange((next) => {
    buildIndex(next).then((r) => {
      const previous = retriever;
      retriever = r;
      for (const p of prepare) p(next);
      // the previous index answers the questions already under way; it is released once the new one is warm
      void Promise.allSettled([...warming]).then(() => previous.close());
    }, (err: unknown) => http.log.error({ err }, 'search index rebuild failed; the previous index keeps serving'));
  }));
  closers.push(() => retriever.close());

  // Several instances (REDIS_URL): navigator presence, queue change notices and locks shared through Redis.
  const cluster = config.redisUrl && scale
    ? await scale.RedisCluster.connect({ url: config.redisUrl, prefix: config.redisPrefix, instanceId: config.instanceId, log: http.log })
    : undefined;
  if (cluster) closers.push(() => cluster.close());

  // Handoff: the conversation service decides who answers (bot, queue, navigator) and keeps the transcript; it is the
  // assistant's HandoffPort and wraps it as the ChatPipeline. Agent assist searches the same index.
  const handoff = new HandoffService({
    store: stores.handoff,
    kb: () => kb.current(),
    ...(cluster ? { cluster } : {}),
    suggest: createKbSuggest(() => kb.current(), (question) => retriever.search(question, { k: 6 })),
    log: { error: (err, msg) => http.log.error({ err }, msg) },
  });

  // Assistant: dialogue policy behind /api/chat, /v1/chat/completions and /api/search.
  const guidesByKb = new WeakMap<KnowledgeBase, Guides>();
  const guidesFor = (k: KnowledgeBase): Guides => guidesByKb.get(k) ?? guidesByKb.set(k, createGuides(k)).get(k)!;
  const sharedChecklists = stores.checklists;
  const assistant = createAssistant({
    kb: () => kb.current(),
    retriever: () => retriever,
    guides: () => guidesFor(kb.current()),
    sessions: stores.sessions,
    handoff,
    ...(config.llm ? { composer: createLlmComposer(config.llm) } : {}),
    shareChecklist: async (snapshot) => `${config.publicUrl}/checklists/${(await sharedChecklists.save(snapshot)).id}`,
  });
  prepare.push((k) => track(assistant.prepare(k)), guidesFor, prepareRouting);
  for (const p of prepare) p(kb.current());
  // The conversation service (handoff) wraps the assistant: it answers only while no navigator is involved.
  const chatPipeline: ChatPipeline = handoff.useAssistant(assistant);
  await http.register(chatRoutes, { pipeline: () => chatPipeline });
  await http.register(openAiRoutes, { pipeline: () => chatPipeline });
  await http.register(searchRoutes, { kb: () => kb.current(), retriever: () => retriever });

  // Guides: situational questions, checklists, and saved checklists shared by link (JSON and print page).
  await http.register(guideRoutes, { kb: () => kb.current(), guides: guidesFor, store: sharedChecklists, publicUrl: () => config.publicUrl });

  // Navigators and the citizen's handoff over HTTP, and socket.io (/citizen, /navigator) on the same server.
  registerConsoleRoutes(http, { service: handoff });
  registerHandoffRoutes(http, { service: handoff });
  const realtime = attachRealtime(http.server, {
    service: handoff, allowedOrigins: config.allowedOrigins, log: { error: (err, msg) => http.log.error({ err }, msg) },
    ...(cluster ? { cluster: { instanceId: config.instanceId } } : {}),
  });
  // Several instances: socket.io rooms span them through the Redis adapter.
  if (config.redisUrl && scale) closers.push(scale.useRedisAdapter(realtime.io, { url: config.redisUrl, prefix: config.redisPrefix, instanceId: config.instanceId, log: http.log }));
  // Socket handshakes only from the portal origins (and the service's own pages), websocket upgrades included.
  realtime.io.engine.opts.allowRequest = socketOriginCheck(config.allowedOrigins);
  await handoff.start();
  closers.push(() => handoff.close(), () => realtime.close());

  // The widget: thumbs up/down on answers, the digital human's viseme timelines, widget.js and the demo portal (/).
  await http.register(feedbackRoutes, { store: stores.feedback, checkSession: (id) => handoff.bySession(id) });
  await http.register(speechRoutes);
  registerPages(http);

  // The navigator console page (/console), built from widget/console.
  registerConsolePage(http);

  // Liveness and readiness: `warm` turns true once the background indexes for the current knowledge base are built.
  http.get('/healthz', async () => ({ ok: true, instance: config.instanceId, warm: warming.size === 0 }));

  // --- end of wiring ----------------------------------------------------------------------------

  return {
    config,
    http,
    kb,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      const addr = http.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
      // A free port picked at listen time: links (share pages) must name the real one.
      if (config.port === 0 && config.publicUrl.endsWith(':0')) config.publicUrl = base;
      return base;
    },
    async close() {
      for (const close of closers.reverse()) await close();
      await http.close();
    },
  };
}
