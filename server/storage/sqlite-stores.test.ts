import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteSessionStore } from '../assistant/session-store.ts';
import { createSqliteChecklistStore } from './checklist-store.ts';
import { createSqliteFeedbackStore } from './feedback-store.ts';
import { SqliteHandoffStore } from './sqlite-handoff-store.ts';
import { openSqlite } from './sqlite.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-stores-'));
  return {
    async open(clock) {
      const db = openSqlite(dir);
      return {
        handoff: new SqliteHandoffStore(db),
        checklists: createSqliteChecklistStore(db),
        feedback: createSqliteFeedbackStore(db),
        sessions: createSqliteSessionStore(db, clock ?? {}),
        async close() {
          db.close();
        },
      };
    },
    async dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
