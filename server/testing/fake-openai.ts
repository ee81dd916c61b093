/**
 * A local OpenAI-compatible server for tests and benchmarks: real HTTP on 127.0.0.1, port 0.
 *
 *   POST /v1/chat/completions   scripted or computed replies, plain JSON or SSE (`data: {...}` … `data: [DONE]`);
 *                               a reply can be delayed, fail with an HTTP status, or hang until the server closes.
 *   POST /v1/embeddings         deterministic unit vectors computed from the text (character uni- and bigrams hashed
 *                               into `dimensions` buckets), so similar texts get similar vectors.
 *
 * Every request is recorded (`requests`) so tests can assert what the client sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatMessage {
  role: string;
  content: string;
}

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What the fake should do for one chat completion. */
export interface FakeReply {
  /** Reply text (default ""). */
  content?: string;
  /** Streaming: how the text is cut into chunks (default: about 8 characters per chunk). */
  chunks?: string[];
  /** Wait this long before answering (server-side timer). */
  delayMs?: number;
  /** Answer with this HTTP error status instead of a completion. */
  failStatus?: number;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
}

export interface FakeChatRequest {
  model: string;
  messages: FakeChatMessage[];
  stream: boolean;
  body: Record<string, unknown>;
}

export type Replier = (request: FakeChatRequest) => FakeReply | string | Promise<FakeReply | string>;

export interface FakeOpenAIOptions {
  /** Computes each reply; takes precedence over the script once the script is used up. */
  replier?: Replier;
  /** Replies used in order, one per chat completion, before the replier. */
  script?: Array<FakeReply | string>;
  /** Embedding vector length (default 64). */
  dimensions?: number;
}

export interface FakeOpenAI {
  /** Base URL including /v1, as OpenAI clients expect (e.g. http://127.0.0.1:43210/v1). */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Appends replies to the script. */
  script(...replies: Array<FakeReply | string>): void;
  setReplier(replier: Replier | undefined): void;
  /** The vector the fake returns for a text (for assertions). */
  embed(text: string): number[];
  close(): Promise<void>;
}

const DEFAULT_REPLY: FakeReply = { content: '' };

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Deterministic embedding: hashed character unigrams and bigrams, signed, L2-normalised. */
export function fakeEmbedding(text: string, dimensions = 64): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const chars = Array.from(text.toLowerCase().replace(/\s+/g, ' ').trim());
  const add = (gram: string, weight: number) => {
    const h = fnv1a(gram);
    v[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * weight;
  };
  chars.forEach((c, i) => {
    add(c, 1);
    if (i + 1 < chars.length) add(c + chars[i + 1], 1.5);
  });
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && 'text' in p ? String((p as { text: unknown }).text) : ''))
      .join('');
  }
  return '';
}

function splitChunks(text: string, size = 8): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const dimensions = options.dimensions ?? 64;
  const queue: Array<FakeReply | string> = [...(options.script ?? [])];
  let replier = options.replier;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function nextReply(request: FakeChatRequest): Promise<FakeReply> {
    const scripted = queue.shift();
    const raw = scripted ?? (replier ? await replier(request) : DEFAULT_REPLY);
    return typeof raw === 'string' ? { content: raw } : raw;
  }

  async function chat(body: Record<string, unknown>, res: http.ServerResponse): Promise<void> {
    const messages = (Array.isArray(body.messages) ? body.messages : []).map((m: { role?: unknown; content?: unknown }) => ({
      role: String(m?.role ?? ''),
      content: contentText(m?.content),
    }));
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    const stream = body.stream === true;
    const reply = await nextReply({ model, messages, stream, body });
    if (reply.hang) return; // the socket stays open; close() destroys it
    if (reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    if (reply.failStatus) {
      sendJson(res, reply.failStatus, { error: { message: `fake failure ${reply.failStatus}`, type: 'server_error' } });
      return;
    }
    const content = reply.content ?? '';
    const id = `chatcmpl-fake-${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    if (!stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const piece of reply.chunks ?? splitChunks(content)) res.write(chunk({ content: piece }, null));
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }

  function embeddings(body: Record<string, unknown>, res: http.ServerResponse): void {
    const input = body.input;
    const texts: string[] = Array.isArray(input)
      ? input.map((x) => (Array.isArray(x) ? x.join(' ') : String(x)))
      : [String(input ?? '')];
    const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : dimensions;
    const base64 = body.encoding_format === 'base64';
    sendJson(res, 200, {
      object: 'list',
      model: typeof body.model === 'string' ? body.model : 'fake-embedding',
      data: texts.map((t, index) => {
        const vector = fakeEmbedding(t, dims);
        return {
          object: 'embedding',
          index,
          embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
        };
      }),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        sendJson(res, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error' } });
        return;
      }
      requests.push({ path, headers: req.headers, body });
      if (req.method === 'POST' && path.endsWith('/chat/completions')) return chat(body, res);
      if (req.method === 'POST' && path.endsWith('/embeddings')) return embeddings(body, res);
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(e), type: 'server_error' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    script: (...replies) => void queue.push(...replies),
    setReplier: (r) => void (replier = r),
    embed: (text) => fakeEmbedding(text, dimensions),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
