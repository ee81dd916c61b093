/**
 * Creates a navigator account in the service's database:
 *   npm run navigator:create -- --username U --password P --name N --skills a,b [--role supervisor] [--capacity 3]
 * The storage is configured as for the service: DATA_DIR (SQLite, default ./data), or STORAGE=postgres with
 * DATABASE_URL (the database every instance shares).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../../config/config.ts';
import { isDaobanError } from '../../errors/catalogue.ts';
import { openStores } from '../../storage/open-stores.ts';
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
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    return 2;
  }
  const stores = await openStores(config);
  const where = config.storage.kind === 'postgres' ? 'PostgreSQL' : config.dataDir;
  try {
    const nav = await new NavigatorAccounts(stores.handoff, systemClock).create({
      username: values.username!, password: values.password!, name: values.name!, role: values.role,
      skills: values.skills!.split(',').map((s) => s.trim()).filter(Boolean), capacity,
    });
    console.log(`Created ${nav.role} "${nav.username}" (${nav.name}) id ${nav.id}, skills ${nav.skills.join(', ')}, capacity ${nav.capacity}, in ${where}`);
    return 0;
  } catch (e) {
    if (isDaobanError(e)) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    await stores.close();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
