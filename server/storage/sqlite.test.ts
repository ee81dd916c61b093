import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openSqlite } from './sqlite.ts';

describe('openSqlite + migrate', () => {
  it('applies each migration once and keeps data across reopening', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-sqlite-'));
    const migrations = [
      { name: 't-001', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)' },
      { name: 't-002', sql: 'ALTER TABLE notes ADD COLUMN author TEXT' },
    ];
    let db = openSqlite(dir);
    migrate(db, migrations);
    db.prepare('INSERT INTO notes (text, author) VALUES (?, ?)').run('你好', 'a');
    db.close();
    db = openSqlite(dir);
    migrate(db, migrations);
    expect(db.prepare('SELECT text, author FROM notes').all()).toEqual([{ text: '你好', author: 'a' }]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM migrations').get() as { n: number }).n).toBe(2);
    db.close();
  });

  it('rolls back a failing migration as a whole', () => {
    const db = openSqlite(':memory:');
    expect(() => migrate(db, [{ name: 'bad', sql: 'CREATE TABLE x (id INTEGER); INSERT INTO nope VALUES (1);' }])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'x'").get()).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM migrations').get()).toEqual({ n: 0 });
  });
});
