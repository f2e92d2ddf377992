/**
 * What is measured: two authenticated reads and two writes, all as the "bench" user (on the
 * security team of as many projects as there are connections, at least five) with their API
 * token. Each scenario gives autocannon its options and a probe with the answer expected from both
 * Vigil and the baseline.
 */

import { casePageScenarios } from './scenarios/case-page.mjs';
import { inboxScenarios } from './scenarios/inbox.mjs';

/** The project name line of the preset, changed on every write so each save is a new version. */
const NAME_LINE = /^ {2}name: .*$/m;

/**
 * The scenarios for a seeded fixture `{ token, slugs, policyYaml, cases }`: the project and token
 * scenarios below, then the case reads (scenarios/case-page.mjs) and the inbox (scenarios/inbox.mjs).
 */
export function buildScenarios(fixture) {
  return [...projectScenarios(fixture), ...casePageScenarios(fixture), ...inboxScenarios(fixture)];
}

function projectScenarios(fixture) {
  const auth = { authorization: `Bearer ${fixture.token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const slugs = fixture.slugs;
  let revision = 0;
  const policyBody = () => {
    revision += 1;
    return JSON.stringify({ yaml: fixture.policyYaml.replace(NAME_LINE, `  name: Contour rev ${revision}`) });
  };
  const tokenBody = JSON.stringify({ name: 'bench', expiresInDays: 30 });

  return [
    {
      id: 'list-projects',
      label: 'GET /api/v1/projects',
      kind: 'read',
      load: () => ({ requests: [{ method: 'GET', path: '/api/v1/projects', headers: auth }] }),
      probe: { method: 'GET', path: '/api/v1/projects', headers: auth },
      expect: { status: 200, verify: (b) => b?.projects?.length === slugs.length },
    },
    {
      id: 'get-project',
      label: 'GET /api/v1/projects/{slug}',
      kind: 'read',
      // Each connection cycles through the user's projects.
      load: () => ({
        requests: slugs.map((slug) => ({ method: 'GET', path: `/api/v1/projects/${slug}`, headers: auth })),
      }),
      probe: { method: 'GET', path: `/api/v1/projects/${slugs[0]}`, headers: auth },
      expect: {
        status: 200,
        verify: (b) => b?.slug === slugs[0] && b.members?.length >= 1 && b.policy?.version >= 1,
      },
    },
    {
      id: 'update-policy',
      label: 'PUT /api/v1/projects/{slug}/policy',
      kind: 'write',
      // One project per connection: two saves of one project at the same instant are rare in life,
      // and on PostgreSQL the loser of such a race is answered 409 (it read the version before the
      // winner committed), which would measure conflicts instead of writes.
      load: () => {
        let client = 0;
        const put = (slug) => ({
          method: 'PUT',
          path: `/api/v1/projects/${slug}/policy`,
          headers: json,
          setupRequest: (req) => ({ ...req, body: policyBody() }),
        });
        return {
          requests: [put(slugs[0])],
          setupClient: (c) => {
            c.setRequests([put(slugs[client % slugs.length])]);
            client += 1;
          },
        };
      },
      get probe() {
        return {
          method: 'PUT',
          path: `/api/v1/projects/${slugs[0]}/policy`,
          headers: json,
          body: policyBody(),
        };
      },
      expect: { status: 200, verify: (b) => Number.isInteger(b?.version) && b.version > 1 },
    },
    {
      id: 'create-token',
      label: 'POST /api/v1/me/tokens',
      kind: 'write',
      load: () => ({
        requests: [{ method: 'POST', path: '/api/v1/me/tokens', headers: json, body: tokenBody }],
      }),
      probe: { method: 'POST', path: '/api/v1/me/tokens', headers: json, body: tokenBody },
      expect: { status: 201, verify: (b) => typeof b?.token === 'string' && b.token.startsWith('vgl_') },
    },
  ];
}
