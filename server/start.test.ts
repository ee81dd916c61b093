/**
 * `npm start` runs the esbuild bundle of server/main.ts (dist/server): it must find the project's files
 * (knowledge base, prompts, jieba's stand-in IDF table) from there and answer on embedded defaults.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './config/config.ts';

let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterAll(() => {
  child?.kill();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves with the chat URL the service prints once it listens. */
function chatUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Chat API:\s+POST (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`the bundle exited with ${code} before listening:\n${out}`)));
  });
}

describe('npm start (the server bundle)', () => {
  it('builds, starts on embedded defaults and answers with citations', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await promisify(execFile)(npm, ['run', 'build:server', '--silent'], { cwd: PROJECT_ROOT });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-start-'));
    child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'server', 'main.mjs')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await chatUrl(child);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '居住证首次申领要多久' }) });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { status: string; citations: Array<{ id: string }> };
    expect(reply.status).toBe('answered');
    expect(reply.citations[0]?.id).toBe('residence-permit-first');
  });
});
