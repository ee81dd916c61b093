import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fake OpenAI server', () => {
  it('answers scripted chat completions and records the request', async () => {
    fake = await startFakeOpenAI({ script: ['第一条回复'] });
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'k' });
    const r = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: '你好' }] });
    expect(r.choices[0]?.message.content).toBe('第一条回复');
    expect(fake.chatRequests()[0]?.body.messages).toEqual([{ role: 'user', content: '你好' }]);
  });

  it('streams SSE chunks ending with [DONE], using the replier', async () => {
    fake = await startFakeOpenAI({ replier: (req) => ({ content: `回声：${req.messages.at(-1)?.content}`, chunks: ['回声：', 'abc'] }) });
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'k' });
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'abc' }] });
    const pieces: string[] = [];
    for await (const c of stream) pieces.push(c.choices[0]?.delta.content ?? '');
    expect(pieces.filter(Boolean)).toEqual(['回声：', 'abc']);
  });

  it('fails with the requested status', async () => {
    fake = await startFakeOpenAI({ script: [{ failStatus: 500 }] });
    const res = await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [] }) });
    expect(res.status).toBe(500);
  });

  it('hangs until the client aborts', async () => {
    fake = await startFakeOpenAI({ script: [{ hang: true }] });
    const ac = new AbortController();
    const pending = fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: '{}', signal: ac.signal });
    // the request is recorded once the server has read it; then abort
    while (fake.chatRequests().length === 0) await new Promise((r) => setImmediate(r));
    ac.abort();
    await expect(pending).rejects.toThrow();
  });

  it('returns deterministic unit embeddings, float or base64', async () => {
    fake = await startFakeOpenAI({ dimensions: 32 });
    const client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'k' });
    const r = await client.embeddings.create({ model: 'e', input: ['居住证', '居住证'], encoding_format: 'float' });
    const [a, b] = r.data.map((d) => d.embedding);
    expect(a).toHaveLength(32);
    expect(a).toEqual(b);
    expect(Math.hypot(...(a ?? []))).toBeCloseTo(1, 5);
    const viaDefault = await client.embeddings.create({ model: 'e', input: '居住证' }); // SDK default: base64, decoded
    expect(viaDefault.data[0]?.embedding[0]).toBeCloseTo(a?.[0] ?? NaN, 5);
    const near = fake.embed('居住证签注');
    const far = fake.embed('营业执照');
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
    expect(dot(fake.embed('居住证'), near)).toBeGreaterThan(dot(fake.embed('居住证'), far));
  });
});
