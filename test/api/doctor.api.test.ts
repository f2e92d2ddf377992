/**
 * `vigil doctor`'s database checks on both databases (issue 13, item 3): a migrated database is
 * current; the job runner check follows the runners' heartbeats (one row per runner, written at
 * start, removed at a clean stop, stale after three minutes); the master key must open the data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runDoctor } from '../../cli/commands/doctor.command.js';
import { createJobRunner, listRunnerHeartbeats } from '../../src/jobs/job.runner.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { describeEachDb } from '../support/db.js';

const KEY = Buffer.alloc(32, 5);

describeEachDb('vigil doctor on the database', (get) => {
  let env: NodeJS.ProcessEnv;
  let data: string;
  beforeAll(async () => {
    const loc = get().location;
    data = loc.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-doctor-pg-'));
    env = { DATABASE_URL: loc.databaseUrl ?? '', VIGIL_MASTER_KEY: KEY.toString('base64') };
    // Something encrypted under the key, for the key check to open.
    await instanceSecret(get().db, createKeyring({ current: KEY }), fixedClock(new Date()), 'doctor.test');
  });
  const statusOf = async (extra: NodeJS.ProcessEnv = {}, now = new Date()) => {
    const report = await runDoctor({ ...env, ...extra }, data, now);
    return Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
  };

  it('finds the schema current and the key opening the data, but no job runner', async () => {
    expect(await statusOf()).toMatchObject({ database: 'ok', 'master-key': 'ok', 'job-runner': 'fail' });
    const wrong = await statusOf({ VIGIL_MASTER_KEY: Buffer.alloc(32, 6).toString('base64') });
    expect(wrong['master-key']).toBe('fail');
  });

  it('follows the heartbeats of several runners, and their clean stops', async () => {
    const db = get().db;
    const clock = fixedClock(new Date());
    const runners = [1, 2].map((n) =>
      createJobRunner({ db, clock, handlers: {}, workerId: `host-${n}:${1000 + n}:abcdef`, heartbeatMs: 50 }),
    );
    for (const r of runners) r.start();
    await expect.poll(async () => (await listRunnerHeartbeats(db)).length).toBe(2);
    expect(await statusOf({}, clock.now())).toMatchObject({ 'job-runner': 'ok' });
    // Four minutes later without a beat (the clock stands still for the runners): stale.
    expect(await statusOf({}, new Date(clock.now().getTime() + 4 * 60_000))).toMatchObject({
      'job-runner': 'fail',
    });
    await runners[0]?.stop();
    expect((await listRunnerHeartbeats(db)).map((b) => b.worker_id)).toEqual(['host-2:1002:abcdef']);
    await runners[1]?.stop();
    expect(await listRunnerHeartbeats(db)).toEqual([]);
    expect(await statusOf({}, clock.now())).toMatchObject({ 'job-runner': 'fail' });
  });
});
