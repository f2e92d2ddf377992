/**
 * The parsed policy is kept per project and version (case-context.ts): the same frozen object while
 * the version stands, the new one as soon as a save makes a new version. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { projectContextById, projectContextBySlug } from '../../src/modules/cases/case-context.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { buildTestApp, OPERATOR, type TestApp } from '../support/app.js';
import { describeEachDb } from '../support/db.js';

describeEachDb('parsed policies', (get) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('reads a policy version once, frozen, and the next version as soon as it is saved', async () => {
    await t.services.projects.createProject(OPERATOR, { slug: 'cached', name: 'Cached', preset: 'contour' });
    const k = get().db.kysely;
    const first = await projectContextBySlug(k, 'cached');
    const again = await projectContextById(k, first.id);
    expect(again.policy).toBe(first.policy);
    expect(Object.isFrozen(first.policy.intake.rateLimits.perProject)).toBe(true);
    expect(() => {
      (first.policy.intake.rateLimits.perProject as { count: number }).count = 1;
    }).toThrow(TypeError);

    const yaml = getPresetYaml('contour').replace(/^(\s*name:\s*).*$/m, '$1Cached Again');
    await t.services.projects.updatePolicy(OPERATOR, 'cached', { yaml });
    const next = await projectContextBySlug(k, 'cached');
    expect(next.policy).not.toBe(first.policy);
    expect(next.policy.project.name).toBe('Cached Again');
  });
});
