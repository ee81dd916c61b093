/** Wraps socket handlers: validates that the payload is an object, runs the action, answers with an Ack. */
import { isDaobanError } from '../errors/catalogue.ts';
import type { Ack, ErrorBody } from './protocol.ts';

export type Log = { error(obj: unknown, msg: string): void };

export function errorBody(e: unknown, log: Log): ErrorBody {
  if (isDaobanError(e)) return { code: e.code, message: e.message };
  log.error(e, 'realtime handler failed');
  return { code: 'DB_INTERNAL', message: 'Internal error' };
}

export function payloadObject(p: unknown): Record<string, unknown> {
  return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/**
 * A handler `(payload, ack?)`: a missing or non-function ack is tolerated (fire-and-forget events),
 * errors become `{ ok: false, error }`, never a crash.
 */
export function acked<T extends object>(log: Log, fn: (payload: Record<string, unknown>) => Promise<T>) {
  return (payload: unknown, ack?: unknown): void => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : typeof payload === 'function' ? (payload as (r: Ack<T>) => void) : undefined;
    fn(payloadObject(payload)).then(
      (result) => reply?.({ ok: true, ...result }),
      (e: unknown) => reply?.({ ok: false, error: errorBody(e, log) }),
    );
  };
}

/** The error a middleware rejects a handshake with: message = catalogue code, data = { code, message }. */
export function connectError(e: unknown, log: Log): Error & { data: ErrorBody } {
  const body = errorBody(e, log);
  return Object.assign(new Error(body.code), { data: body });
}
