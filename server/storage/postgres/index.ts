/** Storage on PostgreSQL (STORAGE=postgres): every store of the embedded SQLite set, for several instances sharing one database. */
export { openPostgres, migratePg, type PgPool } from './pool.ts';
export { PostgresHandoffStore } from './handoff-store.ts';
export { createPostgresChecklistStore, createPostgresFeedbackStore, createPostgresSessionStore } from './other-stores.ts';
