import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../scale/testing/postgres-schema.ts';
import { openStores } from '../../storage/open-stores.ts';
import { verifyPassword } from '../passwords.ts';
import { runCreateNavigator, ZHU } from './run-cli.testing.ts';

describe('npm run navigator:create (PostgreSQL)', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(() => schema.drop());

  it('creates the account in the shared database every instance reads', async () => {
    const env = { STORAGE: 'postgres', DATABASE_URL: schema.url, DATA_DIR: '/nonexistent/daoban-cli-unused' };
    const created = await runCreateNavigator(ZHU, env);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining('Created supervisor "zhu"') });
    expect(created.stdout).toContain('PostgreSQL');
    expect(await runCreateNavigator(ZHU, env)).toMatchObject({ code: 1, stderr: expect.stringContaining('taken') });

    const stores = await openStores({ storage: { kind: 'postgres', url: schema.url }, dataDir: '/nonexistent/daoban-cli-unused' });
    try {
      const stored = await stores.handoff.getNavigatorByUsername('zhu');
      expect(stored).toMatchObject({ role: 'supervisor', skills: ['housing', 'general'], capacity: 4 });
      expect(await verifyPassword('a-long-password', stored!.passwordHash)).toBe(true);
    } finally {
      await stores.close();
    }
  });
});
