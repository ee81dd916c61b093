/**
 * The service as `npm start` runs it, for tests and benchmarks: builds the server bundle (dist/server) and starts
 * it in its own process on a free port. Resolves once it listens, with its chat URL.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../config/config.ts';

export interface BundledService {
  /** POST here to chat (http://127.0.0.1:PORT/api/chat). */
  chatUrl: string;
  child: ChildProcessByStdio<null, Readable, null>;
  /** Stops the process and waits for it to exit. */
  stop(): Promise<void>;
}

/** `env` is the whole environment of the service (PATH is added); PORT defaults to 0 (a free port). */
export async function startBundledService(env: Record<string, string>): Promise<BundledService> {
  await promisify(execFile)(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:server', '--silent'], { cwd: PROJECT_ROOT });
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'server', 'main.mjs')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  };
  try {
    const chatUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Chat API:\s+POST (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`the service exited with ${code} before listening:\n${out}`)));
    });
    return { chatUrl, child, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
