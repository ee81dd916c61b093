/** Storage: the SQLite helpers and the handoff store contract with its embedded implementation. */
export { migrate, openSqlite, type Migration, type SqliteDatabase } from './sqlite.ts';
export * from './handoff-store.ts';
export { HANDOFF_MIGRATIONS, SqliteHandoffStore } from './sqlite-handoff-store.ts';
