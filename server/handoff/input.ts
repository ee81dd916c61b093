/** Checks on what citizens and navigators send: each failure is the catalogue error the HTTP and socket layers report. */
import { DaobanError } from '../errors/catalogue.ts';

export const PHONE = /^[0-9+\-\s()]{5,20}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A trimmed string field of at most `max` characters; undefined when optional and empty. */
export function text(value: unknown, field: string, max: number, required = true): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw DaobanError.create('MISSING_FIELD', field);
    return undefined;
  }
  if (typeof value !== 'string') throw DaobanError.create('INVALID_FIELD', field, 'must be a string');
  const t = value.trim();
  if (!t && required) throw DaobanError.create('MISSING_FIELD', field);
  if (t.length > max) throw DaobanError.create('INVALID_FIELD', field, `must be at most ${max} characters`);
  return t || undefined;
}

/** The sender's idempotency key for a message or note. */
export function clientIdOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 100) throw DaobanError.create('INVALID_FIELD', 'clientId', 'must be a string of at most 100 characters');
  return value;
}
