import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import { fixedClock } from '../lib/clock.js';
import type { Mailer } from '../mail/outbound/mailer.js';
import { auditWitnesses } from '../server/audit-witnesses.js';
import {
  createCheckpointer,
  parseCheckpoint,
  pruneCheckpoints,
  verifyCheckpoints,
  type SignedCheckpoint,
} from './audit.checkpoints.js';
import { createAuditKeys, setAuditKey, type AuditKeys } from './audit.key.js';
import { appendAuditEvent, GENESIS_HASH } from './audit.log.js';

const clock = fixedClock('2026-12-04T10:00:00Z');

describeEachDb('audit checkpoints', (get) => {
  let keys: AuditKeys;
  let restore: () => void;
  let dir: string;
  beforeEach(async () => {
    keys = createAuditKeys(randomBytes(32));
    restore = setAuditKey(keys);
    dir = join(mkdtempSync(join(tmpdir(), 'vigil-cp-')), 'checkpoints');
    const { db } = get();
    await db.kysely.deleteFrom('audit_events').execute();
    await db.kysely.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH, key_id: null }).execute();
  });
  afterEach(() => restore());

  const append = (name: string) =>
    get()
      .db.kysely.transaction()
      .execute((trx) =>
        appendAuditEvent(trx, clock, {
          actor: { type: 'system', id: 'test' },
          action: 'project.created',
          subject: { type: 'project', id: name },
          data: { slug: name, name, preset: null },
        }),
      );

  it('writes one at start, one only when the head moved, and one at stop; every one verifies', async () => {
    const { db } = get();
    let now = Date.parse('2026-12-04T10:00:00Z');
    const tick = { now: () => new Date((now += 1000)) };
    const checkpointer = createCheckpointer({ db, keys, dir, clock: tick, intervalMs: 3_600_000 });
    await checkpointer.start();
    expect(readdirSync(dir)).toHaveLength(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await checkpointer.checkpoint()).toBeUndefined(); // the head did not move
    await append('a');
    await append('b');
    const written = await checkpointer.checkpoint();
    expect(written?.statement).toMatchObject({
      seq: 2,
      keyId: keys.keyId,
      format: 'vigil-audit-checkpoint/1',
    });
    expect(await checkpointer.checkpoint()).toBeUndefined();
    await append('c');
    await checkpointer.stop();
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    const newest = parseCheckpoint(readFileSync(join(dir, files.at(-1) ?? ''), 'utf8')) as SignedCheckpoint;
    expect(newest.statement.seq).toBe(3);
    expect(statSync(join(dir, files[0] ?? '')).mode & 0o777).toBe(0o600);
    expect(await verifyCheckpoints(db, dir, keys)).toMatchObject({ ok: true, checked: 3, newestSeq: 3 });
  });

  it('writes on its timer while events are appended', async () => {
    const { db } = get();
    let now = Date.parse('2026-12-04T10:00:00Z');
    const checkpointer = createCheckpointer({
      db,
      keys,
      dir,
      clock: { now: () => new Date((now += 1000)) },
      intervalMs: 50,
    });
    await checkpointer.start();
    await append('a');
    const until = Date.now() + 5000;
    while (readdirSync(dir).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await checkpointer.stop();
    expect(readdirSync(dir).length).toBeGreaterThanOrEqual(2);
    expect((await verifyCheckpoints(db, dir, keys)).newestSeq).toBe(1);
  });

  it('sends each checkpoint to a witness URL, as signed JSON', async () => {
    const { db } = get();
    const received: { body: string; type: string | undefined }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ body, type: req.headers['content-type'] });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const mailer = { configured: false } as Mailer;
    try {
      expect(() =>
        auditWitnesses({ email: undefined, url: `http://127.0.0.1:${port}/w`, allowLocal: false }, mailer),
      ).toThrow('VIGIL_AUDIT_WITNESS_URL is refused');
      expect(() =>
        auditWitnesses({ email: 'w@example.org', url: undefined, allowLocal: false }, mailer),
      ).toThrow('mail is not configured');
      const onCheckpoint = auditWitnesses(
        { email: undefined, url: `http://127.0.0.1:${port}/w`, allowLocal: true },
        mailer,
      );
      await append('a');
      const checkpointer = createCheckpointer({ db, keys, dir, clock, onCheckpoint });
      await checkpointer.start();
      await checkpointer.stop();
      expect(received).toHaveLength(2);
      expect(received[0]?.type).toBe('application/json');
      const copy = parseCheckpoint(received[0]?.body ?? '') as SignedCheckpoint;
      expect(copy.statement.seq).toBe(1);
      // The witness's copy verifies by itself: saved as a file, it checks the log.
      const witnessDir = mkdtempSync(join(tmpdir(), 'vigil-witness-'));
      writeFileSync(join(witnessDir, 'checkpoint-000000000001-0000000000001.json'), received[0]?.body ?? '');
      expect(await verifyCheckpoints(db, witnessDir, keys)).toMatchObject({ ok: true, checked: 1 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('pruning checkpoints', () => {
  it('keeps the newest ones and, beyond them, the newest of each day', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-prune-'));
    const day = 86_400_000;
    const start = Date.parse('2026-12-01T00:00:00Z');
    // Four days, six checkpoints a day (every four hours).
    let seq = 0;
    for (let d = 0; d < 4; d += 1) {
      for (let h = 0; h < 24; h += 4) {
        seq += 1;
        const at = start + d * day + h * 3_600_000;
        writeFileSync(
          join(dir, `checkpoint-${String(seq).padStart(12, '0')}-${String(at).padStart(13, '0')}.json`),
          '{}',
        );
      }
    }
    writeFileSync(join(dir, 'notes.txt'), 'kept');
    expect(pruneCheckpoints(dir, 5)).toBe(24 - 5 - 3);
    const left = readdirSync(dir).sort();
    expect(left).toContain('notes.txt');
    // The newest five (day 4's 04:00 to 20:00), then the newest of days 3, 2 and 1 (their 20:00).
    expect(left.filter((n) => n.startsWith('checkpoint-')).map((n) => Number(n.slice(11, 23)))).toEqual([
      6, 12, 18, 20, 21, 22, 23, 24,
    ]);
  });
});
