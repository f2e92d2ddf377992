/**
 * The review's five rewrites of the audit log (issue 11, item 1), each done to a real database by
 * raw SQL as an attacker with database access would, and each detected: by the keyed chain (an
 * attacker without the audit key cannot recompute a hash) or by the signed checkpoints written
 * outside the database (cut, wiped, or rehashed by someone who holds the key). Then the upgrade of
 * a database whose chain predates the key. Both databases; the CLI in process and the built binary.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely/migration';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyCheckpoints, writeCheckpoint } from '../../src/audit/audit.checkpoints.js';
import { createAuditKeys, setAuditKey, type AuditKeys } from '../../src/audit/audit.key.js';
import {
  appendAuditEvent,
  GENESIS_HASH,
  hashAuditEvent,
  legacyHashAuditEvent,
  verifyAuditChain,
} from '../../src/audit/audit.log.js';
import type { Db } from '../../src/db/connection.js';
import { allMigrations } from '../../src/db/migrations/index.js';
import type { AuditEventsTable } from '../../src/db/schema.js';
import { fixedClock } from '../../src/lib/clock.js';
import { runCommand, runVigil } from '../support/cli.js';
import { createTestDb, describeEachDb, testDialects } from '../support/db.js';
import { useTestAuditKey } from '../support/audit-key.js';

const clock = fixedClock('2026-12-04T10:00:00Z');
const EVENTS = 8;

type Row = AuditEventsTable;

async function rows(db: Db): Promise<Row[]> {
  return db.kysely.selectFrom('audit_events').selectAll().orderBy('seq').execute();
}

async function append(db: Db, name: string): Promise<void> {
  await db.kysely.transaction().execute((trx) =>
    appendAuditEvent(trx, clock, {
      actor: { type: 'operator', id: 'root' },
      action: 'project.created',
      subject: { type: 'project', id: name },
      data: { slug: name, name, preset: null },
    }),
  );
}

/** Rewrites every event from the first one on: new prev_hash links and hashes from `hash`. */
async function rechain(db: Db, hash: (fields: Omit<Row, 'hash' | 'chain_version'>) => string): Promise<void> {
  let prev = GENESIS_HASH;
  let last = 0;
  for (const row of await rows(db)) {
    const { hash: _old, chain_version: _v, ...fields } = row;
    const next = hash({ ...fields, prev_hash: prev });
    await db.kysely
      .updateTable('audit_events')
      .set({ prev_hash: prev, hash: next })
      .where('seq', '=', row.seq)
      .execute();
    prev = next;
    last = row.seq;
  }
  await db.kysely.updateTable('audit_head').set({ seq: last, hash: prev }).where('id', '=', 1).execute();
}

describeEachDb('audit log rewrites (issue 11)', (get, dialect) => {
  let keys: AuditKeys;
  let restore: () => void;
  let dir: string;
  /** The CLI pointed at this suite's database, with this test's audit key. */
  const cli = (...args: string[]) => {
    const loc = get().location;
    return runCommand([...args, ...(loc.dataDir ? ['--data', loc.dataDir] : [])], {
      DATABASE_URL: loc.databaseUrl ?? '',
      VIGIL_AUDIT_KEY: auditKeyB64,
      VIGIL_AUDIT_CHECKPOINT_DIR: join(dir, 'none'),
    });
  };
  let auditKeyB64: string;

  beforeEach(async () => {
    const { db } = get();
    const raw = randomBytes(32);
    auditKeyB64 = raw.toString('base64');
    keys = createAuditKeys(raw);
    restore = setAuditKey(keys);
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-cp-'));
    await db.kysely.deleteFrom('audit_events').execute();
    await db.kysely.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH, key_id: null }).execute();
    for (let i = 1; i <= EVENTS; i += 1) {
      await append(db, `p${i}`);
      // Checkpoints as `vigil serve` writes them while events are appended: after 3 and after all.
      if (i === 3 || i === EVENTS) await writeCheckpoint(db, keys, dir, clock);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: EVENTS });
    expect(await verifyCheckpoints(db, dir, keys)).toMatchObject({ ok: true, checked: 2, newestSeq: EVENTS });
  });

  afterEach(() => {
    restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('(1) an event edited and every hash recomputed with SHA-256 as before: the keyed chain fails', async () => {
    const { db } = get();
    await db.kysely
      .updateTable('audit_events')
      .set({ data_json: '{"slug":"evil","name":"evil","preset":null}' })
      .where('seq', '=', 4)
      .execute();
    await rechain(db, legacyHashAuditEvent);
    // Even claiming the legacy version does not help: a keyed log has none.
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtSeq: 1 });
    await db.kysely.updateTable('audit_events').set({ chain_version: 1 }).execute();
    const downgraded = await verifyAuditChain(db);
    expect(downgraded).toMatchObject({ ok: false, brokenAtSeq: 1 });
    expect(downgraded.ok === false && downgraded.reason).toContain('chain version 1');
    const r = await cli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Audit log BROKEN at event #1');
    // And `vigil migrate` refuses to re-seal it: a keyed log turned legacy, with checkpoints of this key.
    const loc = get().location;
    const migrate = await runCommand(['migrate', ...(loc.dataDir ? ['--data', loc.dataDir] : [])], {
      DATABASE_URL: loc.databaseUrl ?? '',
      VIGIL_AUDIT_KEY: auditKeyB64,
      VIGIL_AUDIT_CHECKPOINT_DIR: dir,
    });
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('checkpoints signed with this audit key exist');
  });

  it('(2) the newest events cut and the head moved back: the checkpoint beyond the head fails', async () => {
    const { db } = get();
    const kept = (await rows(db))[4];
    if (!kept) throw new Error('expected event #5');
    await db.kysely.deleteFrom('audit_events').where('seq', '>', 5).execute();
    await db.kysely.updateTable('audit_head').set({ seq: 5, hash: kept.hash }).execute();
    // The chain alone is consistent: only the checkpoint can tell.
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 5 });
    const result = await verifyCheckpoints(db, dir, keys);
    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.reason).toContain(`the log was cut: this checkpoint`);
    expect(result.failures[0]?.reason).toContain(`records event #${EVENTS}, but the log ends at #5`);
    const r = await cli('audit', 'verify', '--checkpoints', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Audit log intact: 5 events');
    expect(r.stdout).toContain('Checkpoints FAILED: 1 of 2');
    expect(r.stdout).toContain(`checkpoint-${String(EVENTS).padStart(12, '0')}`);
  });

  it('(3) everything deleted and the head reset: the checkpoints show a wiped log', async () => {
    const { db } = get();
    await db.kysely.deleteFrom('audit_events').execute();
    await db.kysely.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH, key_id: null }).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 0 });
    const result = await verifyCheckpoints(db, dir, keys);
    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(2);
    expect(result.failures.every((f) => f.reason.includes('the log was wiped'))).toBe(true);
    const r = await cli('audit', 'verify', '--checkpoints', dir, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, chainOk: true, checkpoints: { ok: false } });
  });

  it('(4) a middle event deleted, the rest renumbered and rehashed: the keyed chain fails', async () => {
    const { db } = get();
    await db.kysely.deleteFrom('audit_events').where('seq', '=', 4).execute();
    for (let seq = 5; seq <= EVENTS; seq += 1) {
      await db.kysely
        .updateTable('audit_events')
        .set({ seq: seq - 1 })
        .where('seq', '=', seq)
        .execute();
    }
    // Without the key, the attacker's best is SHA-256 (or any other key): both fail.
    const otherKey = createAuditKeys(randomBytes(32));
    await rechain(db, (f) => hashAuditEvent(f, otherKey));
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: false, brokenAtSeq: 1 });
    expect(result.ok === false && result.reason).toContain('was altered');
    expect((await verifyCheckpoints(db, dir, keys)).ok).toBe(false);
  });

  it('(5) an attacker who holds the key edits and rehashes everything: the earlier signed checkpoints fail', async () => {
    const { db } = get();
    await db.kysely.updateTable('audit_events').set({ actor_id: 'mallory' }).where('seq', '=', 2).execute();
    await rechain(db, (f) => hashAuditEvent(f, keys));
    // With the key the chain recomputes...
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: EVENTS });
    // ...but both checkpoints were signed over the old hashes.
    const result = await verifyCheckpoints(db, dir, keys);
    expect(result.failures.map((f) => f.reason)).toEqual([
      expect.stringContaining('event #3 has another hash than this checkpoint'),
      expect.stringContaining(`event #${EVENTS} has another hash than this checkpoint`),
    ]);
  });

  it('refuses a checkpoint that was edited, or signed with another key', async () => {
    const { db } = get();
    const [first, second] = readdirSync(dir).sort();
    if (!first || !second) throw new Error('expected two checkpoints');
    const forged = JSON.parse(readFileSync(join(dir, first), 'utf8')) as {
      statement: { seq: number; hash: string };
    };
    forged.statement.seq = 2;
    forged.statement.hash = (await rows(db))[1]?.hash ?? '';
    writeFileSync(join(dir, first), JSON.stringify(forged));
    const other = createAuditKeys(randomBytes(32));
    await writeCheckpoint(db, other, dir, fixedClock('2026-12-04T11:00:00Z'));
    const result = await verifyCheckpoints(db, dir, keys);
    expect(result.failures.map((f) => f.reason)).toEqual([
      expect.stringContaining('its signature does not verify'),
      expect.stringContaining(`signed with audit key ${other.keyId}`),
    ]);
  });

  it('refuses to append or verify under another audit key than the log is sealed with', async () => {
    const { db } = get();
    const other = createAuditKeys(randomBytes(32));
    const result = await verifyAuditChain(db, { keys: other });
    expect(result).toMatchObject({ ok: false, brokenAtSeq: 1 });
    expect(result.ok === false && result.reason).toContain(`but verification uses audit key ${other.keyId}`);
    // A process that loaded another key (a CLI run from the wrong directory) writes nothing.
    const back = setAuditKey(other);
    try {
      await expect(append(db, 'wrong-key')).rejects.toThrow(
        `sealed with audit key ${keys.keyId}, but this process loaded audit key ${other.keyId}`,
      );
    } finally {
      back();
    }
    const loc = get().location;
    const added = await runCommand(
      ['user', 'add', '--email', 'wrong-key@example.org', ...(loc.dataDir ? ['--data', loc.dataDir] : [])],
      {
        DATABASE_URL: loc.databaseUrl ?? '',
        VIGIL_AUDIT_KEY: randomBytes(32).toString('base64'),
        VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
      },
    );
    expect(added.code).toBe(1);
    expect(added.stderr).toContain(`The audit log is sealed with audit key ${keys.keyId}`);
    expect(
      await db.kysely.selectFrom('users').selectAll().where('email', '=', 'wrong-key@example.org').execute(),
    ).toEqual([]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: EVENTS });
  });

  if (dialect === 'sqlite') {
    it('the built `vigil audit verify` detects the cut through its checkpoints', async () => {
      const { db, location } = get();
      const intact = await runVigil(
        ['audit', 'verify', '--data', location.dataDir ?? '', '--checkpoints', dir],
        {
          VIGIL_AUDIT_KEY: auditKeyB64,
          DATABASE_URL: '',
        },
      );
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toContain(`Checkpoints: 2 checked in ${dir}, the newest at event #${EVENTS}`);
      await db.kysely.deleteFrom('audit_events').where('seq', '=', EVENTS).execute();
      const kept = (await rows(db)).at(-1);
      await db.kysely
        .updateTable('audit_head')
        .set({ seq: EVENTS - 1, hash: kept?.hash ?? '' })
        .execute();
      const cut = await runVigil(
        ['audit', 'verify', '--data', location.dataDir ?? '', '--checkpoints', dir],
        {
          VIGIL_AUDIT_KEY: auditKeyB64,
          DATABASE_URL: '',
        },
      );
      expect(cut.code).toBe(1);
      expect(cut.stdout).toContain('the log was cut');
    });
  }
});

/** A database as issue 10 left it: migrated up to the migration before the keyed chain. */
async function legacyDatabase(dialect: (typeof testDialects)[number]) {
  const t = await createTestDb(dialect, false);
  const names = Object.keys(allMigrations(t.db.dialect));
  const before = names[names.indexOf('20261204000000_audit_keyed_chain') - 1];
  if (!before) throw new Error('no migration before the keyed chain');
  const migrator = new Migrator({
    db: t.db.kysely,
    provider: { getMigrations: async () => allMigrations(t.db.dialect) },
  });
  const result = await migrator.migrateTo(before);
  if (result.error) throw result.error;
  return t;
}

/** Legacy events written as issue 10's appendAuditEvent wrote them: unkeyed SHA-256. */
async function appendLegacy(db: Db, count: number): Promise<void> {
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields = {
      seq,
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      occurred_at: '2026-11-30T10:00:00.000Z',
      actor_type: 'operator',
      actor_id: 'root',
      action: 'project.created',
      subject_type: 'project',
      subject_id: `p${seq}`,
      project_id: null,
      data_json: JSON.stringify({ slug: `p${seq}`, name: `p${seq}`, preset: null }),
      prev_hash: prev,
    };
    prev = legacyHashAuditEvent(fields);
    // The table has no chain_version yet: insert through an untyped builder.
    await (db.kysely as unknown as Db['kysely'])
      .insertInto('audit_events')
      .values({ ...fields, hash: prev } as never)
      .execute();
  }
  await db.kysely.updateTable('audit_head').set({ seq: count, hash: prev }).where('id', '=', 1).execute();
}

for (const dialect of testDialects) {
  describe(`upgrading an unkeyed audit chain [${dialect}]`, () => {
    const dropped: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const drop of dropped) await drop();
    });
    const key = randomBytes(32).toString('base64');
    const cliFor = (t: Awaited<ReturnType<typeof legacyDatabase>>, ...args: string[]) =>
      runCommand([...args, ...(t.location.dataDir ? ['--data', t.location.dataDir] : [])], {
        DATABASE_URL: t.location.databaseUrl ?? '',
        VIGIL_AUDIT_KEY: key,
        VIGIL_AUDIT_CHECKPOINT_DIR: join(tmpdir(), `vigil-no-checkpoints-${randomBytes(4).toString('hex')}`),
      });

    it('verifies the legacy chain, re-seals it under the key once, and records audit.chain_keyed', async () => {
      const t = await legacyDatabase(dialect);
      dropped.push(t.drop);
      await appendLegacy(t.db, 5);
      const migrated = await cliFor(t, 'migrate', '--json');
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(JSON.parse(migrated.stdout)).toMatchObject({
        applied: expect.arrayContaining(['20261204000000_audit_keyed_chain']),
        auditEventsSealed: 5,
      });
      const verified = await cliFor(t, 'audit', 'verify', '--json');
      expect(verified.code, verified.stdout).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, events: 6 });
      const last = await t.db.kysely
        .selectFrom('audit_events')
        .select(['action', 'data_json', 'chain_version'])
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(last.action).toBe('audit.chain_keyed');
      expect(JSON.parse(last.data_json)).toMatchObject({ events: 5 });
      // The content of the old events is unchanged; only their seal is new.
      const first = await t.db.kysely
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '=', 1)
        .executeTakeFirstOrThrow();
      expect(first).toMatchObject({ subject_id: 'p1', chain_version: 2 });
      // Once only.
      const again = await cliFor(t, 'migrate', '--json');
      expect(JSON.parse(again.stdout)).toMatchObject({ applied: [], auditEventsSealed: 0 });
      // And the old SHA-256 chain no longer verifies as such: the hashes are keyed now.
      const restore = setAuditKey(createAuditKeys(Buffer.from(key, 'base64')));
      try {
        expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, events: 6 });
      } finally {
        restore();
      }
    });

    it('refuses to re-seal a legacy chain that is already broken, and says so', async () => {
      const t = await legacyDatabase(dialect);
      dropped.push(t.drop);
      await appendLegacy(t.db, 4);
      await t.db.kysely
        .updateTable('audit_events')
        .set({ actor_id: 'mallory' })
        .where('seq', '=', 2)
        .execute();
      const migrated = await cliFor(t, 'migrate');
      expect(migrated.code).toBe(1);
      expect(migrated.stderr).toContain('predates the audit key and is broken at event #2');
      // Nothing was re-sealed.
      const versions = await t.db.kysely.selectFrom('audit_events').select('chain_version').execute();
      expect(versions.every((v) => Number(v.chain_version) === 1)).toBe(true);
    });
  });
}

describe('the audit key holder', () => {
  it('refuses to append or verify with no key set, so nothing is ever appended unkeyed', async () => {
    const t = await createTestDb('sqlite');
    // Clear the process's key for this test only.
    const restore = setAuditKey(undefined);
    try {
      await expect(append(t.db, 'x')).rejects.toThrow('The audit key is not loaded');
      await expect(verifyAuditChain(t.db)).rejects.toThrow('The audit key is not loaded');
      expect(await t.db.kysely.selectFrom('audit_events').selectAll().execute()).toEqual([]);
    } finally {
      restore();
      useTestAuditKey();
      await t.drop();
    }
  });
});
