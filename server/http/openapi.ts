/**
 * The OpenAPI document the service serves at GET /api/openapi.json, built by @fastify/swagger from the route
 * schemas. Register it before the routes it should describe.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { REPLY_STATUSES } from '../assistant/reply.ts';

export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
      required: ['code', 'message'],
    },
  },
} as const;

const CITATION = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['item', 'policy', 'faq'] },
    title: { type: 'string' },
    url: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'kind', 'title', 'url', 'updatedAt'],
} as const;

export const CHAT_REPLY_SCHEMA = {
  type: 'object',
  properties: {
    sessionId: { type: 'string' },
    status: { type: 'string', enum: [...REPLY_STATUSES] },
    answer: { type: 'string', description: 'Light markdown.' },
    citations: { type: 'array', items: CITATION },
    options: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, label: { type: 'string' }, value: { type: 'string' } }, required: ['id', 'label', 'value'] },
    },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    suggestions: { type: 'array', items: { type: 'string' } },
    lang: { type: 'string', enum: ['zh', 'en'] },
    intent: { type: 'string' },
    item: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
    checklist: { type: 'object', additionalProperties: true, description: 'A running or completed situational checklist.' },
    handoff: { type: 'object', additionalProperties: true, description: 'Handoff state: queue position and wait, after-hours, ticket.' },
  },
  required: ['sessionId', 'status', 'answer', 'citations', 'confidence', 'suggestions', 'lang'],
} as const;

export interface OpenApiOptions {
  publicUrl?: string;
  version?: string;
}

export async function registerOpenApi(app: FastifyInstance, opts: OpenApiOptions = {}): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Daoban (导办) API',
        description: 'Guidance assistant for Beijing government services: chat, OpenAI-compatible chat completions, search, checklists.',
        version: opts.version ?? '0.1.0',
      },
      ...(opts.publicUrl ? { servers: [{ url: opts.publicUrl }] } : {}),
      tags: [
        { name: 'chat', description: 'The assistant' },
        { name: 'openai', description: 'OpenAI-compatible chat completions' },
        { name: 'search', description: 'Scenario search' },
      ],
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
