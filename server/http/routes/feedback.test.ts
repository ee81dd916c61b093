import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaobanError } from '../../errors/catalogue.ts';
import { createSqliteFeedbackStore } from '../../storage/feedback-store.ts';
import { openSqlite } from '../../storage/sqlite.ts';
import { installErrorHandler } from '../errors.ts';
import { feedbackRoutes } from './feedback.ts';

const db = openSqlite(':memory:');
const store = createSqliteFeedbackStore(db);
const app = Fastify({ logger: false });
beforeAll(async () => {
  installErrorHandler(app);
  await app.register(feedbackRoutes, {
    store,
    checkSession: async (id) => { if (id !== 'sess-1') throw DaobanError.create('UNKNOWN_SESSION', id); },
    now: () => new Date('2026-05-01T08:00:00Z'),
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  db.close();
});

const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/feedback', payload: payload as object });

describe('POST /api/feedback', () => {
  it('stores a vote per answer, and a second vote replaces the first', async () => {
    expect((await post({ sessionId: 'sess-1', messageSeq: 2, vote: 'up' })).statusCode).toBe(200);
    const res = await post({ sessionId: 'sess-1', messageSeq: 2, vote: 'down', comment: '材料不全' });
    expect(res.json()).toEqual({ feedback: { sessionId: 'sess-1', target: 'seq:2', vote: 'down', comment: '材料不全', at: '2026-05-01T08:00:00.000Z' } });
    await post({ sessionId: 'sess-1', replyId: 'r-9', vote: 'up' });
    expect((await store.forSession('sess-1')).map((f) => [f.target, f.vote])).toEqual([['reply:r-9', 'up'], ['seq:2', 'down']]);
    expect(await store.totals()).toEqual({ up: 1, down: 1 });
  });

  it.each([
    [{ messageSeq: 1, vote: 'up' }, 400, 'DB_MISSING_FIELD', 'sessionId'],
    [{ sessionId: 'sess-1', vote: 'up' }, 400, 'DB_MISSING_FIELD', 'messageSeq'],
    [{ sessionId: 'sess-1', messageSeq: 0, vote: 'up' }, 400, 'DB_INVALID_FIELD', 'messageSeq'],
    [{ sessionId: 'sess-1', messageSeq: 1, vote: 'meh' }, 400, 'DB_INVALID_FIELD', 'vote'],
    [{ sessionId: 'sess-1', messageSeq: 1 }, 400, 'DB_MISSING_FIELD', 'vote'],
    [{ sessionId: 'sess-1', messageSeq: 1, vote: 'up', stars: 5 }, 400, 'DB_INVALID_FIELD', 'stars'],
    [{ sessionId: 'nope', messageSeq: 1, vote: 'up' }, 400, 'DB_UNKNOWN_SESSION', 'sessionId'],
  ])('rejects %j', async (payload, status, code, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(status);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toContain(field);
  });
});
