import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../errors.ts';
import { speechRoutes } from './speech.ts';

const app = Fastify({ logger: false });
beforeAll(async () => {
  installErrorHandler(app);
  await app.register(speechRoutes);
  await app.ready();
});
afterAll(() => app.close());

const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/speech/visemes', payload: payload as object });

describe('POST /api/speech/visemes', () => {
  it('returns the spoken text and a timeline', async () => {
    const res = await post({ text: '工本费20元', lang: 'zh' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { spoken: string; duration: number; timeline: Array<{ t: number; d: number; viseme: string; char: string }> };
    expect(body.spoken).toBe('工本费二十元');
    expect(body.duration).toBeGreaterThan(0);
    expect(body.timeline[0]).toMatchObject({ t: 0, char: '工', viseme: 'kk' });
  });

  it.each([
    [{}, 'DB_MISSING_FIELD', 'text'],
    [{ text: '' }, 'DB_INVALID_FIELD', 'text'],
    [{ text: 5 }, 'DB_INVALID_FIELD', 'text'],
    [{ text: 'x'.repeat(4001) }, 'DB_INVALID_FIELD', 'text'],
    [{ text: '你好', lang: 'fr' }, 'DB_INVALID_FIELD', 'lang'],
    [{ text: '你好', voice: 'x' }, 'DB_INVALID_FIELD', 'voice'],
    [[1], 'DB_INVALID_BODY', 'JSON object'],
  ])('rejects %j with %s naming the field', async (payload, code, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toContain(field);
  });
});
