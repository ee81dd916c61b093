/**
 * Creates a navigator account in the data directory's database:
 *   npm run navigator:create -- --username U --password P --name N --skills a,b [--role supervisor] [--capacity 3]
 * DATA_DIR selects the data directory (default ./data), as for the service.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { isDaobanError } from '../../errors/catalogue.ts';
import { SqliteHandoffStore } from '../../storage/index.ts';
import { NavigatorAccounts } from '../accounts.ts';
import { systemClock } from '../clock.ts';

const USAGE = 'usage: npm run navigator:create -- --username U --password P --name N --skills a,b [--role navigator|supervisor] [--capacity 3]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        username: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, skills: { type: 'string' },
        role: { type: 'string', default: 'navigator' }, capacity: { type: 'string', default: '3' }, help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const missing = (['username', 'password', 'name', 'skills'] as const).filter((k) => !values[k]);
  if (missing.length) {
    console.error(`missing --${missing.join(', --')}\n${USAGE}`);
    return 2;
  }
  if (values.role !== 'navigator' && values.role !== 'supervisor') {
    console.error(`--role must be navigator or supervisor, got "${values.role}"`);
    return 2;
  }
  const capacity = Number(values.capacity);
  const config = loadConfig();
  const store = SqliteHandoffStore.open(config.dataDir);
  try {
    const nav = await new NavigatorAccounts(store, systemClock).create({
      username: values.username!, password: values.password!, name: values.name!, role: values.role,
      skills: values.skills!.split(',').map((s) => s.trim()).filter(Boolean), capacity,
    });
    console.log(`Created ${nav.role} "${nav.username}" (${nav.name}) id ${nav.id}, skills ${nav.skills.join(', ')}, capacity ${nav.capacity}, in ${config.dataDir}`);
    return 0;
  } catch (e) {
    if (isDaobanError(e)) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
