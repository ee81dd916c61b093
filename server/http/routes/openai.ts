/**
 * POST /v1/chat/completions — OpenAI-compatible, so OpenAI clients can talk to Daoban. The last user message is the
 * question; earlier messages are not replayed (Daoban keeps the dialogue context itself). Session continuity:
 * the `X-Daoban-Session` header (a Daoban session id, as in /api/chat), or the `user` field (each user gets a
 * session, created on first use). The reply carries the session id in the `X-Daoban-Session` header and the whole
 * ChatReply in a `daoban` field (in the last chunk when streaming).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import type { ChatInput, ChatPipeline, ChatReply } from '../../assistant/index.ts';
import { parseId, parseLang, parseMessage, requireObject } from './chat-input.ts';
import { sseWriter } from './chat.ts';
import { ERROR_SCHEMA } from '../openapi.ts';

export interface OpenAiRoutesOptions {
  pipeline: ChatPipeline | (() => ChatPipeline);
  /** How many `user` → session mappings to remember (default 10,000, least recently used dropped). */
  maxUsers?: number;
}

const MODEL = 'daoban';

interface ParsedRequest {
  message: string;
  stream: boolean;
  user?: string;
  lang?: 'zh' | 'en';
}

function parseRequest(body: unknown): ParsedRequest {
  const b = requireObject(body, '{ messages, stream?, user? }');
  if (b.messages === undefined) throw DaobanError.create('MISSING_FIELD', 'messages');
  if (!Array.isArray(b.messages) || b.messages.length === 0) throw DaobanError.create('INVALID_FIELD', 'messages', 'must be a non-empty array');
  let last = -1;
  b.messages.forEach((m, i) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw DaobanError.create('INVALID_FIELD', `messages.${i}`, 'must be an object { role, content }');
    const role = (m as Record<string, unknown>).role;
    if (typeof role !== 'string') throw DaobanError.create('INVALID_FIELD', `messages.${i}.role`, 'must be a string');
    if (role === 'user') last = i;
  });
  if (last < 0) throw DaobanError.create('INVALID_FIELD', 'messages', 'must contain a message with role "user"');
  const content = (b.messages[last] as Record<string, unknown>).content;
  const text = Array.isArray(content)
    ? content.map((p) => (p && typeof p === 'object' && (p as Record<string, unknown>).type === 'text' ? String((p as Record<string, unknown>).text ?? '') : '')).join('')
    : content;
  const message = parseMessage(text, `messages.${last}.content`);
  if (b.stream !== undefined && typeof b.stream !== 'boolean') throw DaobanError.create('INVALID_FIELD', 'stream', 'must be true or false');
  const user = b.user === undefined ? undefined : parseId(b.user, 'user');
  const meta = b.metadata && typeof b.metadata === 'object' ? (b.metadata as Record<string, unknown>) : {};
  const lang = parseLang(meta.lang, 'metadata.lang');
  return { message, stream: b.stream === true, ...(user ? { user } : {}), ...(lang ? { lang } : {}) };
}

export async function openAiRoutes(app: FastifyInstance, opts: OpenAiRoutesOptions): Promise<void> {
  const pipeline = () => (typeof opts.pipeline === 'function' ? opts.pipeline() : opts.pipeline);
  const maxUsers = opts.maxUsers ?? 10_000;
  const sessionsByUser = new Map<string, string>();
  const remember = (user: string, sessionId: string) => {
    sessionsByUser.delete(user);
    sessionsByUser.set(user, sessionId);
    if (sessionsByUser.size > maxUsers) sessionsByUser.delete(sessionsByUser.keys().next().value!);
  };

  /** Runs one turn; a `user` whose session has expired starts a new one. */
  async function run(req: ParsedRequest, header: string | undefined, onDelta?: (t: string, m?: { reset?: boolean }) => void): Promise<ChatReply> {
    const base: ChatInput = { message: req.message, ...(req.lang ? { lang: req.lang } : {}) };
    if (header) return pipeline().handle({ ...base, sessionId: header }, onDelta);
    const known = req.user ? sessionsByUser.get(req.user) : undefined;
    let reply: ChatReply;
    try {
      reply = await pipeline().handle(known ? { ...base, sessionId: known } : base, onDelta);
    } catch (e) {
      if (!(known && e instanceof DaobanError && e.code === 'DB_UNKNOWN_SESSION')) throw e;
      reply = await pipeline().handle(base, onDelta);
    }
    if (req.user) remember(req.user, reply.sessionId);
    return reply;
  }

  app.post('/v1/chat/completions', {
    schema: {
      summary: 'OpenAI-compatible chat completion (streaming and not)',
      tags: ['openai'],
      body: {
        type: 'object',
        required: ['messages'],
        properties: {
          model: { type: 'string' },
          messages: { type: 'array', items: { type: 'object', properties: { role: { type: 'string' }, content: {} } } },
          stream: { type: 'boolean' },
          user: { type: 'string', description: 'Keeps one Daoban session per user.' },
        },
      },
      headers: { type: 'object', properties: { 'x-daoban-session': { type: 'string' } } },
      response: { 400: ERROR_SCHEMA },
    },
    validatorCompiler: () => () => true,
  }, async (request, reply) => {
    const req = parseRequest(request.body);
    const header = parseId(request.headers['x-daoban-session'], 'X-Daoban-Session header');
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    if (!req.stream) {
      const result = await run(req, header);
      reply.header('x-daoban-session', result.sessionId);
      return {
        id, object: 'chat.completion', created, model: MODEL,
        choices: [{ index: 0, message: { role: 'assistant', content: result.answer }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        daoban: result,
      };
    }
    const sse = sseWriter(request, reply);
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id, object: 'chat.completion.chunk', created, model: MODEL, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra });
    let first = true;
    let result: ChatReply;
    try {
      result = await run(req, header, (text) => {
        if (!text) return; // OpenAI streams cannot withdraw text; the final `daoban` reply carries the checked answer
        sse.data(chunk(first ? { role: 'assistant', content: text } : { content: text }, null));
        first = false;
      });
    } catch (e) {
      if (!sse.started) throw e;
      sse.data(JSON.stringify({ error: e instanceof DaobanError ? e.toJSON().error : { code: 'DB_INTERNAL', message: 'Internal error' } }));
      sse.end();
      return;
    }
    sse.data(chunk({}, 'stop', { daoban: result }));
    sse.data('[DONE]');
    sse.end();
  });
}
