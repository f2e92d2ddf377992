import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedPrepare } from './connection.js';

describe('cachedPrepare (the SQLite statement cache)', () => {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('create table t (id integer primary key, v text)');
  afterEach(() => sqlite.exec('delete from t'));

  it('hands out the same statement for the same text, and runs it with new parameters', () => {
    const prepare = cachedPrepare(sqlite, 10);
    const insert = prepare('insert into t (v) values (?)');
    expect(prepare('insert into t (v) values (?)')).toBe(insert);
    insert.run(['a']);
    prepare('insert into t (v) values (?)').run(['b']);
    expect(prepare('select v from t order by id').all([])).toEqual([{ v: 'a' }, { v: 'b' }]);
  });

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const prepare = cachedPrepare(sqlite, 2);
    const a = prepare('select 1 as a');
    const b = prepare('select 2 as b');
    expect(prepare('select 1 as a')).toBe(a); // a is now the most recently used
    prepare('select 3 as c'); // evicts b
    expect(prepare('select 1 as a')).toBe(a);
    expect(prepare('select 2 as b')).not.toBe(b);
  });

  it('never hands out a statement that is still being iterated', () => {
    const prepare = cachedPrepare(sqlite, 10);
    prepare('insert into t (v) values (?)').run(['x']);
    prepare('insert into t (v) values (?)').run(['y']);
    const sql = 'select v from t order by id';
    const outer = prepare(sql);
    const seen: unknown[] = [];
    for (const row of outer.iterate([])) {
      const inner = prepare(sql);
      expect(inner).not.toBe(outer);
      seen.push(row, inner.all([]).length);
    }
    expect(seen).toEqual([{ v: 'x' }, 2, { v: 'y' }, 2]);
    expect(prepare(sql)).toBe(outer);
  });

  it('sees a schema change (SQLite re-prepares the statement)', () => {
    const prepare = cachedPrepare(sqlite, 10);
    sqlite.exec('create table s (a text)');
    prepare('insert into s (a) values (?)').run(['1']);
    sqlite.exec('alter table s add column b text');
    prepare('insert into s (a) values (?)').run(['2']);
    expect(prepare('select a, b from s order by a').all([])).toEqual([
      { a: '1', b: null },
      { a: '2', b: null },
    ]);
  });
});
