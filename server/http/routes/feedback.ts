/**
 * Thumbs up/down on an answer:
 *   POST /api/feedback { sessionId, messageSeq | replyId, vote: "up" | "down", comment? } → { feedback }
 * The session must exist (DB_UNKNOWN_SESSION otherwise); voting again on the same answer replaces the vote.
 */
import type { FastifyInstance } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import type { FeedbackInput, FeedbackStore } from '../../storage/feedback-store.ts';
import { ERROR_SCHEMA } from '../openapi.ts';
import { parseId, requireObject } from './chat-input.ts';

export interface FeedbackRoutesOptions {
  store: FeedbackStore;
  /** Throws DB_UNKNOWN_SESSION for a session that does not exist. */
  checkSession: (sessionId: string) => Promise<unknown>;
  now?: () => Date;
}

const ALLOWED = ['sessionId', 'messageSeq', 'replyId', 'vote', 'comment'];

export function parseFeedback(body: unknown): FeedbackInput {
  const b = requireObject(body, '{ sessionId, messageSeq | replyId, vote, comment? }');
  const unknown = Object.keys(b).find((k) => !ALLOWED.includes(k));
  if (unknown) throw DaobanError.create('INVALID_FIELD', unknown, `is not a known field; allowed: ${ALLOWED.join(', ')}`);
  const sessionId = parseId(b.sessionId, 'sessionId');
  if (!sessionId) throw DaobanError.create('MISSING_FIELD', 'sessionId');
  if (b.vote === undefined) throw DaobanError.create('MISSING_FIELD', 'vote');
  if (b.vote !== 'up' && b.vote !== 'down') throw DaobanError.create('INVALID_FIELD', 'vote', 'must be "up" or "down"');
  let target: FeedbackInput['target'];
  if (b.messageSeq !== undefined) {
    if (!Number.isInteger(b.messageSeq) || (b.messageSeq as number) < 1) throw DaobanError.create('INVALID_FIELD', 'messageSeq', 'must be a positive integer');
    target = { messageSeq: b.messageSeq as number };
  } else if (b.replyId !== undefined) {
    target = { replyId: parseId(b.replyId, 'replyId')! };
  } else throw DaobanError.create('MISSING_FIELD', 'messageSeq');
  if (b.comment !== undefined && (typeof b.comment !== 'string' || b.comment.length > 500)) {
    throw DaobanError.create('INVALID_FIELD', 'comment', 'must be a string of at most 500 characters');
  }
  return { sessionId, target, vote: b.vote, ...(typeof b.comment === 'string' && b.comment.trim() ? { comment: b.comment.trim() } : {}) };
}

export async function feedbackRoutes(app: FastifyInstance, opts: FeedbackRoutesOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  app.post('/api/feedback', {
    schema: {
      summary: 'Thumbs up or down on an answer',
      tags: ['chat'],
      body: {
        type: 'object',
        required: ['sessionId', 'vote'],
        properties: {
          sessionId: { type: 'string' }, messageSeq: { type: 'integer', minimum: 1 }, replyId: { type: 'string' },
          vote: { type: 'string', enum: ['up', 'down'] }, comment: { type: 'string', maxLength: 500 },
        },
      },
      response: { 400: ERROR_SCHEMA },
    },
    validatorCompiler: () => () => true,
  }, async (request) => {
    const input = parseFeedback(request.body);
    await opts.checkSession(input.sessionId);
    return { feedback: await opts.store.save(input, now().toISOString()) };
  });
}
