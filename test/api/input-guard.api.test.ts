/**
 * NUL (U+0000) in any field is refused with 400 naming the field, on both databases: the fuzz test
 * found that PostgreSQL answered 500 for a case id holding NUL (its text cannot store NUL).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  projectWithTeam,
  signIn,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';

describeEachDb('NUL in a request', (get) => {
  let t: TestApp;
  let admin: Client;
  let team: Client;
  let humanId: string;
  beforeAll(async () => {
    t = await buildTestApp(get().db);
    admin = await signIn(t, (await createUser(t, { isAdmin: true })).email);
    ({ team } = await projectWithTeam(t, 'nul'));
    humanId = await acceptedCase(t, 'nul', team, 'a case');
  });
  afterAll(async () => {
    await t.app.close();
  });

  // The fuzz test's reproducers (PostgreSQL: "invalid byte sequence for encoding UTF8: 0x00").
  it.each([
    ['POST', '/api/v1/cases/a%00b/messages', { body: 'hello', internal: false }, 'params.id'],
    ['POST', '/api/v1/cases/%00/retrospective/feedback', { body: 'name' }, 'params.id'],
    ['POST', '/api/v1/cases/%00/users-told', undefined, 'params.id'],
    ['GET', '/api/v1/cwe?q=%00', undefined, 'querystring.q'],
  ])('%s %s answers 400 naming %s', async (method, url, body, field) => {
    const res = await admin.request(method, url, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', issues: [{ path: field }] });
  });

  it('refuses NUL in a body field, and writes nothing', async () => {
    const before = (await team.request('GET', `/api/v1/cases/${humanId}`)).json();
    const res = await team.request('POST', `/api/v1/cases/${humanId}/messages`, {
      body: 'a\u0000b',
      internal: true,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([
      { path: 'body.body', message: 'must not contain a NUL character (U+0000)' },
    ]);
    const after = (await team.request('GET', `/api/v1/cases/${humanId}`)).json();
    expect(after.messages).toEqual(before.messages);
    // The same text without NUL is taken.
    expect(
      (await team.request('POST', `/api/v1/cases/${humanId}/messages`, { body: 'ab', internal: true }))
        .statusCode,
    ).toBe(201);
  });

  it('answers an anonymous caller the same (the check depends on the input alone)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/cases/a%00b' });
    expect([400, 401]).toContain(res.statusCode);
  });
});
