import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSqlite, groupCommit } from './group-commit.ts';
import { openSqlite, type SqliteDatabase } from './sqlite.ts';

describe('groupCommit', () => {
  let dir: string;
  let db: SqliteDatabase;
  let reader: SqliteDatabase;
  const count = () => (reader.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-group-'));
    db = openSqlite(dir);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    // a second connection sees only what is committed
    reader = new Database(path.join(dir, 'daoban.db'), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    closeSqlite(db);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes of one turn in one transaction and resolves after the commit', async () => {
    const q = groupCommit(db);
    expect(groupCommit(db)).toBe(q);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const seen: Array<{ inTx: boolean; committedBefore: number }> = [];
    const writes = ['a', 'b', 'c'].map((v) => q.run(() => {
      seen.push({ inTx: db.inTransaction, committedBefore: count() });
      return insert.run(v).lastInsertRowid;
    }));
    expect(count()).toBe(0);
    const ids = await Promise.all(writes);
    expect(ids.map(Number)).toEqual([1, 2, 3]);
    expect(seen).toEqual([{ inTx: true, committedBefore: 0 }, { inTx: true, committedBefore: 0 }, { inTx: true, committedBefore: 0 }]);
    expect(count()).toBe(3);
  });

  it('rolls back a failing write alone: the others in its group commit', async () => {
    const q = groupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.allSettled([
      q.run(() => insert.run('x')),
      q.run(() => {
        insert.run('half-written');
        insert.run('x'); // UNIQUE violation: the savepoint undoes 'half-written' too
      }),
      q.run(() => insert.run('y')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(reader.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'x' }, { v: 'y' }]);
  });

  it('commits pending writes when the database closes, and rejects writes after', async () => {
    const q = groupCommit(db);
    const pending = q.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('last'));
    closeSqlite(db);
    await expect(pending).resolves.toMatchObject({ changes: 1 });
    expect(count()).toBe(1);
    await expect(q.run(() => 1)).rejects.toThrow(/closed/);
  });
});
