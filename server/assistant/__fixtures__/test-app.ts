/** A fastify app with the chat, OpenAI-compatible, search and OpenAPI routes over the fixture KB, for HTTP tests. */
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandler } from '../../http/errors.ts';
import { registerOpenApi } from '../../http/openapi.ts';
import { chatRoutes } from '../../http/routes/chat.ts';
import { openAiRoutes } from '../../http/routes/openai.ts';
import { searchRoutes } from '../../http/routes/search.ts';
import { createGuides } from '../../guides/index.ts';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import type { Retriever } from '../../retrieval/types.ts';
import { createAssistant, createAssistantPipeline, createMemorySessionStore, type AssistantDeps, type DaobanAssistant } from '../index.ts';
import type { ChatReply } from '../reply.ts';
import type { HandoffInfo, HandoffPort, HandoffRequest } from '../types.ts';
import { createFixtureRetriever } from './retriever.ts';

export interface RecordingHandoff extends HandoffPort {
  requests: HandoffRequest[];
  next: HandoffInfo;
}

export function recordingHandoff(next: HandoffInfo = { state: 'queued', position: 3, waitMinutes: { min: 4, max: 9 } }): RecordingHandoff {
  const port: RecordingHandoff = {
    requests: [],
    next,
    async requestHandoff(request) {
      port.requests.push(request);
      return port.next;
    },
  };
  return port;
}

export interface TestApp {
  http: FastifyInstance;
  assistant: DaobanAssistant;
  handoff: RecordingHandoff;
  shared: string[];
  /** POST /api/chat (expects HTTP 200): the reply. */
  chat(message: string, sessionId?: string, lang?: 'zh' | 'en'): Promise<ChatReply>;
}

export async function buildTestApp(kb: KnowledgeBase, overrides: Partial<AssistantDeps> & { retriever?: Retriever } = {}): Promise<TestApp> {
  const http = Fastify({ logger: false });
  installErrorHandler(http);
  await registerOpenApi(http);
  const handoff = recordingHandoff();
  const shared: string[] = [];
  const retriever = overrides.retriever ?? createFixtureRetriever(kb);
  const assistant = createAssistant({
    kb: () => kb,
    retriever: () => retriever,
    guides: createGuides(kb),
    handoff,
    sessions: createMemorySessionStore(),
    shareChecklist: async (snapshot) => {
      shared.push(snapshot.itemId);
      return `http://daoban.test/checklists/share-${shared.length}`;
    },
    ...overrides,
  });
  const pipeline = createAssistantPipeline(assistant);
  await http.register(chatRoutes, { pipeline });
  await http.register(openAiRoutes, { pipeline });
  await http.register(searchRoutes, { kb: () => kb, retriever: () => retriever });
  await http.ready();
  const chat = async (message: string, sessionId?: string, lang?: 'zh' | 'en'): Promise<ChatReply> => {
    const res = await http.inject({ method: 'POST', url: '/api/chat', payload: { message, ...(sessionId ? { sessionId } : {}), ...(lang ? { lang } : {}) } });
    if (res.statusCode !== 200) throw new Error(`POST /api/chat answered ${res.statusCode}: ${res.body}`);
    return res.json() as ChatReply;
  };
  return { http, assistant, handoff, shared, chat };
}
