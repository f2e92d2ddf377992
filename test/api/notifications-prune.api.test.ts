/**
 * Notifications do not pile up for ever (issue 13, item 3): the hourly prune deletes those read
 * more than 90 days after they were made and every one older than a year, read or not, and keeps
 * the rest, unread ones included, and the bell's count with them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.js';
import {
  KEEP_NOTIFICATIONS_DAYS,
  KEEP_READ_NOTIFICATIONS_DAYS,
  pruneJobHandler,
} from '../../src/modules/maintenance/prune.job.js';
import { insertNotifications } from '../../src/modules/notifications/notifications.repo.js';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, createUser, OPERATOR, tokenClient, type TestApp } from '../support/app.js';

const NOW = '2026-12-03T12:00:00.000Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();

describeEachDb('pruning notifications', (get) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('deletes the read ones after 90 days and all after a year, keeping the rest', async () => {
    expect([KEEP_READ_NOTIFICATIONS_DAYS, KEEP_NOTIFICATIONS_DAYS]).toEqual([90, 365]);
    await t.services.projects.createProject(OPERATOR, { slug: 'pruned', name: 'Pruned', preset: 'contour' });
    const project = await get()
      .db.kysely.selectFrom('projects')
      .select('id')
      .where('slug', '=', 'pruned')
      .executeTakeFirstOrThrow();
    const user = await createUser(t);
    const rows = [
      { key: 'read-fresh', age: 89, read: true, kept: true },
      { key: 'read-old', age: 91, read: true, kept: false },
      { key: 'unread-old', age: 200, read: false, kept: true },
      { key: 'unread-ancient', age: 366, read: false, kept: false },
      { key: 'unread-today', age: 0, read: false, kept: true },
    ];
    await insertNotifications(
      get().db.kysely,
      rows.map((r) => ({
        id: crypto.randomUUID(),
        user_id: user.id,
        project_id: project.id,
        case_id: null,
        event: 'report-received.team',
        label: `[Pruned] ${r.key}`,
        link: '/dashboard',
        dedupe_key: r.key,
        created_at: daysAgo(r.age),
        read_at: r.read ? daysAgo(r.age) : null,
        digested_at: null,
      })),
    );
    const client = await tokenClient(t, user.id);
    const before = (await client.request('GET', '/api/v1/me/notifications')).json() as { unread: number };
    expect(before.unread).toBe(3);

    const clock = fixedClock(NOW);
    await pruneJobHandler(get().db).handle(
      {},
      {
        jobId: 'prune-test',
        kind: 'maintenance.prune',
        attempt: 1,
        maxAttempts: 1,
        clock,
        signal: new AbortController().signal,
      },
    );

    const after = (await client.request('GET', '/api/v1/me/notifications')).json() as {
      notifications: { label: string }[];
      unread: number;
    };
    expect(after.notifications.map((n) => n.label.replace('[Pruned] ', '')).sort()).toEqual(
      rows
        .filter((r) => r.kept)
        .map((r) => r.key)
        .sort(),
    );
    expect(after.unread).toBe(2);
  });
});
