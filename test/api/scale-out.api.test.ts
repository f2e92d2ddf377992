/** Two instances on one database share sessions and rate-limit counters: nothing lives in memory. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEachDb } from '../support/db.js';
import { buildTestApp, createUser, OPERATOR, signIn, type TestApp } from '../support/app.js';

describeEachDb('several instances', (get, dialect) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp(get().db);
    b = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await a.app.close();
    await b.app.close();
  });

  it('creates exactly one first admin when instances start together on an empty database', async () => {
    const fresh = await createTestDb(dialect);
    try {
      const x = await buildTestApp(fresh.db);
      const y = await buildTestApp(fresh.db);
      const results = await Promise.all(
        [x, y, x, y].map((t) => t.services.users.ensureFirstAdmin(OPERATOR, 'admin@localhost')),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      await x.app.close();
      await y.app.close();
    } finally {
      await fresh.drop();
    }
  });

  it('accepts a session started on one instance on the other', async () => {
    const user = await createUser(a);
    const client = await signIn(a, user.email);
    const res = await b.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: client.cookie },
    });
    expect(res.statusCode).toBe(200);
    const out = await b.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await a.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: client.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('counts sign-in attempts across instances', async () => {
    const user = await createUser(a);
    const attempt = (t: TestApp) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: user.email, password: 'wrong password!' },
      });
    for (let i = 0; i < 5; i++) await attempt(a);
    for (let i = 0; i < 5; i++) await attempt(b);
    expect((await attempt(a)).statusCode).toBe(429);
    expect((await attempt(b)).statusCode).toBe(429);
  });
});
