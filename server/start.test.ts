/**
 * `npm start` runs the esbuild bundle of server/main.ts (dist/server): it must find the project's files
 * (knowledge base, prompts, jieba's stand-in IDF table) from there and answer on embedded defaults.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBundledService, type BundledService } from './testing/bundled-service.ts';

let service: BundledService | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await service?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (the server bundle)', () => {
  it('builds, starts on embedded defaults and answers with citations', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-start-'));
    service = await startBundledService({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const res = await fetch(service.chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '居住证首次申领要多久' }) });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { status: string; citations: Array<{ id: string }> };
    expect(reply.status).toBe('answered');
    expect(reply.citations[0]?.id).toBe('residence-permit-first');
  });
});
