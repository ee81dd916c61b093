import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from '../../storage/open-stores.ts';
import { verifyPassword } from '../passwords.ts';
import { runCreateNavigator, ZHU } from './run-cli.testing.ts';

describe('npm run navigator:create (SQLite)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates the account in the data directory, refuses a taken username and a bad configuration', async () => {
    const env = { DATA_DIR: dataDir, STORAGE: 'sqlite' };
    const created = await runCreateNavigator(ZHU, env);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining('Created supervisor "zhu"') });
    expect(created.stdout).toContain(dataDir);
    expect(await runCreateNavigator(ZHU, env)).toMatchObject({ code: 1, stderr: expect.stringContaining('taken') });
    expect(await runCreateNavigator(ZHU, { STORAGE: 'postgres', DATABASE_URL: '' })).toMatchObject({ code: 2, stderr: expect.stringContaining('DATABASE_URL') });
    expect(await runCreateNavigator(['--username', 'x'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('missing --password') });

    const stores = await openStores({ storage: { kind: 'sqlite' }, dataDir });
    try {
      const stored = await stores.handoff.getNavigatorByUsername('zhu');
      expect(stored).toMatchObject({ role: 'supervisor', skills: ['housing', 'general'], capacity: 4, name: '朱导办' });
      expect(await verifyPassword('a-long-password', stored!.passwordHash)).toBe(true);
    } finally {
      await stores.close();
    }
  });
});
