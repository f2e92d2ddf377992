import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, createUser, signIn, type Client, type TestApp } from '../support/app.js';

describeEachDb('CWE catalogue API', (get) => {
  let t: TestApp;
  let user: Client;
  beforeAll(async () => {
    t = await buildTestApp(get().db);
    user = await signIn(t, (await createUser(t)).email);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('searches by id and by words for any signed-in user', async () => {
    const byId = await user.request('GET', '/api/v1/cwe?q=CWE-79');
    expect(byId.json().results[0]).toMatchObject({ id: 'CWE-79' });
    const byWords = await user.request('GET', '/api/v1/cwe?q=sql%20injection');
    expect(byWords.json().results[0]).toMatchObject({ id: 'CWE-89' });
    expect((await user.request('GET', '/api/v1/cwe/22')).json()).toMatchObject({ id: 'CWE-22' });
    expect((await user.request('GET', '/api/v1/cwe/999999')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/cwe?q=xss' })).statusCode).toBe(401);
  });

  // The review's reproducer: a prototype key was looked up in the synonym table and answered 500.
  it.each(['constructor', '__proto__', 'toString', 'xss%20constructor'])(
    'answers q=%s with 200',
    async (q) => {
      const res = await user.request('GET', `/api/v1/cwe?q=${q}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().results).toBeInstanceOf(Array);
    },
  );
});
