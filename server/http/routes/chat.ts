/**
 * The chat API:
 *   POST /api/chat           { message, sessionId?, lang?, clientId? } → ChatReply (the first reply creates the session)
 *   POST /api/chat/stream    the same as Server-Sent Events (also POST /api/chat with Accept: text/event-stream):
 *                            `delta` {text} … (`reset` {} when streamed text is withdrawn), then `citations` [...],
 *                            `status` {status, intent, confidence}, and `done` with the whole ChatReply.
 * Both go through a ChatPipeline (the assistant by default; the conversation service wraps it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DaobanError, isDaobanError } from '../../errors/catalogue.ts';
import type { ChatInput, ChatPipeline, ChatReply } from '../../assistant/index.ts';
import { parseId, parseLang, parseMessage, requireObject, MAX_MESSAGE_CHARS } from './chat-input.ts';
import { CHAT_REPLY_SCHEMA, ERROR_SCHEMA } from '../openapi.ts';

export interface ChatRoutesOptions {
  pipeline: ChatPipeline | (() => ChatPipeline);
}

const ALLOWED = ['message', 'sessionId', 'lang', 'clientId'];

export function parseChatBody(body: unknown): ChatInput {
  const b = requireObject(body, '{ message, sessionId?, lang? }');
  const unknown = Object.keys(b).find((k) => !ALLOWED.includes(k));
  if (unknown) throw DaobanError.create('INVALID_FIELD', unknown, `is not a known field; allowed: ${ALLOWED.join(', ')}`);
  const message = parseMessage(b.message, 'message');
  const sessionId = parseId(b.sessionId, 'sessionId');
  const lang = parseLang(b.lang);
  const clientId = parseId(b.clientId, 'clientId');
  return { message, ...(sessionId ? { sessionId } : {}), ...(lang ? { lang } : {}), ...(clientId ? { clientId } : {}) };
}

const BODY_SCHEMA = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_CHARS, description: 'The citizen\'s message.' },
    sessionId: { type: 'string', description: 'Omit on the first turn; then pass the sessionId of the reply.' },
    lang: { type: 'string', enum: ['zh', 'en'] },
    clientId: { type: 'string', description: 'Client-generated id making a send idempotent.' },
  },
} as const;

/** Writes Server-Sent Events; headers go out with the first event, so errors before it stay plain HTTP errors. */
export function sseWriter(request: FastifyRequest, reply: FastifyReply) {
  let open = false;
  const start = () => {
    if (open) return;
    open = true;
    reply.hijack();
    const origin = request.headers.origin;
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(origin && reply.getHeader('access-control-allow-origin') ? { 'access-control-allow-origin': String(reply.getHeader('access-control-allow-origin')) } : {}),
    });
  };
  return {
    get started() {
      return open;
    },
    event(name: string, data: unknown) {
      start();
      reply.raw.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    data(payload: string) {
      start();
      reply.raw.write(`data: ${payload}\n\n`);
    },
    end() {
      start();
      reply.raw.end();
    },
  };
}

export async function chatRoutes(app: FastifyInstance, opts: ChatRoutesOptions): Promise<void> {
  const pipeline = () => (typeof opts.pipeline === 'function' ? opts.pipeline() : opts.pipeline);

  async function stream(request: FastifyRequest, reply: FastifyReply, input: ChatInput): Promise<void> {
    const sse = sseWriter(request, reply);
    let result: ChatReply;
    try {
      result = await pipeline().handle(input, (text, meta) => {
        if (meta?.reset) sse.event('reset', {});
        if (text) sse.event('delta', { text });
      });
    } catch (e) {
      if (!sse.started) throw e;
      const err = isDaobanError(e) ? e : DaobanError.create('INTERNAL');
      sse.event('error', err.toJSON().error);
      sse.end();
      return;
    }
    sse.event('citations', result.citations);
    sse.event('status', { status: result.status, intent: result.intent, confidence: result.confidence, sessionId: result.sessionId });
    sse.event('done', result);
    sse.end();
  }

  const noValidation = () => () => true;

  app.post('/api/chat', {
    schema: {
      summary: 'Ask the assistant (JSON; send Accept: text/event-stream for SSE)',
      tags: ['chat'],
      body: BODY_SCHEMA,
      response: { 200: CHAT_REPLY_SCHEMA, 400: ERROR_SCHEMA },
    },
    validatorCompiler: noValidation,
  }, async (request, reply) => {
    const input = parseChatBody(request.body);
    if (String(request.headers.accept ?? '').includes('text/event-stream')) return stream(request, reply, input);
    return pipeline().handle(input);
  });

  app.post('/api/chat/stream', {
    schema: {
      summary: 'Ask the assistant, streamed as Server-Sent Events (delta, reset, citations, status, done)',
      tags: ['chat'],
      body: BODY_SCHEMA,
      produces: ['text/event-stream'],
      response: { 400: ERROR_SCHEMA },
    },
    validatorCompiler: noValidation,
  }, async (request, reply) => stream(request, reply, parseChatBody(request.body)));
}
