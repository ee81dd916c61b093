/** Validation of chat input shared by /api/chat and /v1/chat/completions: errors name the field. */
import { DaobanError } from '../../errors/catalogue.ts';
import type { Lang } from '../../assistant/index.ts';

export const MAX_MESSAGE_CHARS = 2000;
const LANGS = ['zh', 'en'] as const;

export function requireObject(body: unknown, shape: string): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DaobanError.create('INVALID_BODY', `expected a JSON object ${shape}`);
  }
  return body as Record<string, unknown>;
}

export function parseMessage(value: unknown, field: string): string {
  if (value === undefined) throw DaobanError.create('MISSING_FIELD', field);
  if (typeof value !== 'string') throw DaobanError.create('INVALID_FIELD', field, 'must be a string');
  if (!value.trim()) throw DaobanError.create('INVALID_FIELD', field, 'must not be empty');
  if (value.length > MAX_MESSAGE_CHARS) throw DaobanError.create('INVALID_FIELD', field, `must be at most ${MAX_MESSAGE_CHARS} characters (got ${value.length})`);
  return value;
}

export function parseLang(value: unknown, field = 'lang'): Lang | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (LANGS as readonly string[]).includes(value)) return value as Lang;
  throw DaobanError.create('INVALID_FIELD', field, `must be one of: ${LANGS.join(', ')}`);
}

export function parseId(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(value)) {
    throw DaobanError.create('INVALID_FIELD', field, 'must be a string of 1-128 letters, digits, "_", ".", ":" or "-"');
  }
  return value;
}
