/**
 * Speech for the widget's digital human:
 *   POST /api/speech/visemes { text, lang? } → { lang, spoken, timeline: [{ t, d, viseme, char, index, phone? }], duration }
 * Times are milliseconds at speech rate 1. `spoken` is what to hand to the synthesiser (numbers read out).
 */
import type { FastifyInstance } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import { VISEMES } from '../../speech/pinyin-visemes.ts';
import type { SpeechLang } from '../../speech/index.ts';
import { ERROR_SCHEMA } from '../openapi.ts';
import { requireObject } from './chat-input.ts';

export const MAX_SPEECH_CHARS = 4000;

function parse(body: unknown): { text: string; lang?: SpeechLang } {
  const b = requireObject(body, '{ text, lang? }');
  const unknown = Object.keys(b).find((k) => k !== 'text' && k !== 'lang');
  if (unknown) throw DaobanError.create('INVALID_FIELD', unknown, 'is not a known field; allowed: text, lang');
  if (b.text === undefined) throw DaobanError.create('MISSING_FIELD', 'text');
  if (typeof b.text !== 'string' || !b.text.trim()) throw DaobanError.create('INVALID_FIELD', 'text', 'must be a non-empty string');
  if (b.text.length > MAX_SPEECH_CHARS) throw DaobanError.create('INVALID_FIELD', 'text', `must be at most ${MAX_SPEECH_CHARS} characters (got ${b.text.length})`);
  if (b.lang !== undefined && b.lang !== 'zh' && b.lang !== 'en') throw DaobanError.create('INVALID_FIELD', 'lang', 'must be one of: zh, en');
  return { text: b.text, ...(b.lang ? { lang: b.lang } : {}) };
}

/** The timeline module pulls in pinyin-pro (~16 MB resident): loaded on the first digital-human request. */
let timeline: Promise<typeof import('../../speech/timeline.ts')> | undefined;

export async function speechRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/speech/visemes', {
    schema: {
      summary: 'What the digital human says for a text, and its mouth shapes over time',
      tags: ['speech'],
      body: {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string', maxLength: MAX_SPEECH_CHARS }, lang: { type: 'string', enum: ['zh', 'en'] } },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            lang: { type: 'string' },
            spoken: { type: 'string' },
            duration: { type: 'number', description: 'ms' },
            timeline: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  t: { type: 'number' }, d: { type: 'number' }, viseme: { type: 'string', enum: [...VISEMES] },
                  char: { type: 'string' }, index: { type: 'number' }, phone: { type: 'string' },
                },
              },
            },
          },
        },
        400: ERROR_SCHEMA,
      },
    },
    validatorCompiler: () => () => true,
  }, async (request) => {
    const { text, lang } = parse(request.body);
    const { visemeTimeline } = await (timeline ??= import('../../speech/timeline.ts'));
    return visemeTimeline(text, lang);
  });
}
