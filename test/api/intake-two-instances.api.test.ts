/**
 * Two instances on one database filing a burst at once (issue 12 review): each files in its own
 * groups, and the per-address limit, the human ids and the audit chain are what one instance
 * filing one report at a time would give.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, OPERATOR, type TestApp } from '../support/app.js';

const LIMIT = 3;

describeEachDb('intake on two instances at once', (get) => {
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    const cipher = createKeyring({ current: randomBytes(32) });
    one = await buildTestApp(get().db, cipher);
    two = await buildTestApp(get().db, cipher);
    await one.services.projects.createProject(OPERATOR, {
      slug: 'twice',
      name: 'Twice',
      policyYaml: getPresetYaml('contour').replace(
        /^ {2}redirectNonSecurityBugs: true$/m,
        `  redirectNonSecurityBugs: true\n  rateLimits:\n    perAddress: { count: ${LIMIT}, windowSeconds: 600 }\n    perProject: { count: 100000, windowSeconds: 3600 }`,
      ),
    });
  });
  afterAll(async () => {
    await one.app.close();
    await two.app.close();
  });

  it('counts each address once per report across both, and chains every event', async () => {
    const addresses = Array.from({ length: 6 }, (_, i) => `10.88.1.${i + 1}`);
    const send = (t: TestApp, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/projects/twice/reports',
        remoteAddress: ip,
        payload: { subject: `A report from ${ip}`, reproduction: 'Steps.' },
      });
    // Each instance sends every address twice, in opposite orders.
    const order = [...addresses, ...addresses];
    const answers = await Promise.all([
      ...order.map((ip) => send(one, ip).then((r) => ({ ip, r }))),
      ...[...order].reverse().map((ip) => send(two, ip).then((r) => ({ ip, r }))),
    ]);
    for (const { r } of answers) expect([201, 429], r.body).toContain(r.statusCode);
    for (const ip of addresses) {
      const mine = answers.filter((a) => a.ip === ip);
      expect(
        mine.filter((a) => a.r.statusCode === 201),
        ip,
      ).toHaveLength(LIMIT);
    }
    const humanIds = answers.filter((a) => a.r.statusCode === 201).map((a) => a.r.json().humanId as string);
    expect(new Set(humanIds).size).toBe(humanIds.length);
    expect(await verifyAuditChain(get().db)).toMatchObject({ ok: true });
  });
});
