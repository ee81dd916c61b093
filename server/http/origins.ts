/**
 * Which browser origins may use the service: the portal origins embedding the widget (config.allowedOrigins)
 * and the service's own pages. Requests without an Origin header (servers, curl, same-origin GETs) are not
 * browser cross-origin calls and pass; the navigator API has its own token.
 *   - HTTP API (/api/*, /v1/*): CORS headers for allowed origins, 403 DB_ORIGIN_NOT_ALLOWED for the others.
 *   - socket.io: the handshake (polling and websocket) is refused for other origins (engine.io allowRequest).
 */
import type { IncomingMessage } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { DaobanError } from '../errors/catalogue.ts';

function hostOf(req: { headers: IncomingMessage['headers'] }): string | undefined {
  const forwarded = req.headers['x-forwarded-host'];
  return (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || req.headers.host;
}

export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') && origin !== 'null') return true;
  if (allowed.includes(origin)) return true;
  try {
    if (origin === 'null' || !host) return false;
    const o = new URL(origin);
    return new URL(`${o.protocol}//${host}`).host === o.host; // same origin (default ports normalised)
  } catch {
    return false;
  }
}

const GATED = /^\/(api|v1)\//;

export async function registerOriginGate(http: FastifyInstance, allowed: readonly string[]): Promise<void> {
  http.addHook('onRequest', async (req) => {
    const origin = req.headers.origin;
    if (origin !== undefined && GATED.test(req.url) && !originAllowed(origin, hostOf(req), allowed)) {
      throw DaobanError.create('ORIGIN_NOT_ALLOWED', origin.slice(0, 200));
    }
  });
  await http.register(cors, {
    // the gate already refused the others; echo the origin back for the allowed ones
    origin: (origin, cb) => cb(null, origin !== undefined),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', 'x-session-id', 'accept'],
    maxAge: 600,
  });
}

/** engine.io `allowRequest`: refuse socket handshakes from origins that may not embed the widget. */
export function socketOriginCheck(allowed: readonly string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const origin = req.headers.origin;
    if (originAllowed(origin, hostOf(req), allowed)) callback(null, true);
    else callback('DB_ORIGIN_NOT_ALLOWED', false);
  };
}
