/**
 * Random bytes for ids, drawn from the system's secure generator a pool at a time: asking it for 9 or 18 bytes
 * per id costs a call into OpenSSL each (Node's randomUUID keeps such a pool for the same reason). Every byte
 * is handed out once.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `bytes` fresh random bytes, as base64url (no padding). */
export function randomBase64url(bytes: number): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes)).toString('base64url');
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const text = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return text;
}
