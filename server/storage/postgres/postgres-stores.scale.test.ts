import { createPostgresChecklistStore, createPostgresFeedbackStore, createPostgresSessionStore, openPostgres, PostgresHandoffStore } from './index.ts';
import { describeStoreContract } from '../store-contract.ts';
import { createTestSchema } from '../../scale/testing/postgres-schema.ts';

// The same contract as the SQLite stores, on a fresh schema of the test database (dropped afterwards).
describeStoreContract('PostgreSQL', async () => {
  const schema = await createTestSchema();
  return {
    async open(clock) {
      const pool = openPostgres(schema.url, { max: 8 });
      return {
        handoff: await PostgresHandoffStore.open(pool),
        checklists: await createPostgresChecklistStore(pool),
        feedback: await createPostgresFeedbackStore(pool),
        sessions: await createPostgresSessionStore(pool, clock ?? {}),
        close: () => pool.end(),
      };
    },
    dispose: () => schema.drop(),
  };
});
