/** The real service (buildApp: hybrid retriever, guides, SQLite) over a knowledge-base directory, listening on a free port, for HTTP tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import type { ChatReply } from '../reply.ts';

export interface TestService {
  /** http://127.0.0.1:PORT */
  base: string;
  /** POST /api/chat (expects HTTP 200): the reply. */
  chat(message: string, sessionId?: string): Promise<ChatReply>;
  /** Closes the service and removes its data directory. */
  close(): Promise<void>;
}

export async function startTestService(kbDir: string): Promise<TestService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-service-'));
  const app = await buildApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, KB_DIR: kbDir, LOG_LEVEL: 'silent' }));
  const base = await app.listen();
  return {
    base,
    async chat(message, sessionId) {
      const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }) });
      if (res.status !== 200) throw new Error(`POST /api/chat answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as ChatReply;
    },
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
