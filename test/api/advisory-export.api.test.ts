/**
 * The advisory of a case, exported through the API and the CLI in every standard format, each
 * valid against its official schema; drafts carry TLP:AMBER and never the CVE id.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import {
  loadValidator,
  schemaErrors,
  type ValidateStandard,
} from '../../src/modules/advisory/export/export.test-support.js';
import { describeEachDb } from '../support/db.js';
import { runCommand } from '../support/cli.js';
import {
  buildTestApp,
  acceptedCase,
  createUser,
  projectWithTeam,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

const MASTER_KEY = Buffer.alloc(32, 5);
const CVE = 'CVE-2026-12345';

describeEachDb('advisory export', (get) => {
  let t: TestApp;
  let team: Client;
  let validate: ValidateStandard;
  let humanId: string;
  let advisoryId: string;

  beforeAll(async () => {
    validate = await loadValidator();
    t = await buildTestApp(get().db, createKeyring({ current: MASTER_KEY }));
    ({ team } = await projectWithTeam(t, 'contour', { name: 'Contour' }));
    humanId = await acceptedCase(t, 'contour', team, 'Überlauf im xDS-Parser 🚨');
    const draft = (await team.request('POST', `/api/v1/cases/${humanId}/advisory`)).json();
    advisoryId = draft.advisoryId;
    const saved = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
      baseRevision: draft.revision,
      document: {
        ...draft.document,
        title: 'Heap overflow in the xDS parser — “Überlauf” 🚨',
        summary: 'A crafted ClusterLoadAssignment crashes Contour',
        description: `The parser trusts the endpoint count. Tracked as ${CVE}.\n`,
        affected: [
          {
            ecosystem: 'Go',
            package: 'github.com/projectcontour/contour',
            purl: 'pkg:golang/github.com/projectcontour/contour',
            ranges: [
              { type: 'SEMVER', events: [{ introduced: '1.26.0' }, { fixed: '1.26.3' }] },
              { type: 'SEMVER', events: [{ introduced: '1.27.0' }, { fixed: '1.27.2' }] },
              { type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] },
            ],
          },
        ],
        references: [{ type: 'FIX', url: 'https://github.com/projectcontour/contour/pull/1' }],
        credits: [{ name: 'Ada Lovelace', type: 'FINDER' }],
        severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }] },
        cwes: ['CWE-787'],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const exportAs = (format: string) =>
    team.request('GET', `/api/v1/cases/${humanId}/advisory/export?format=${format}`);

  it('exports a draft as OSV, GitHub and CSAF, valid, TLP:AMBER, and without the CVE', async () => {
    expect(
      (await team.request('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId: CVE })).statusCode,
    ).toBeLessThan(300);
    for (const [format, kind] of [
      ['osv', 'osv'],
      ['ghsa', 'osv'],
      ['csaf', 'csaf'],
    ] as const) {
      const res = await exportAs(format);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toContain(`${advisoryId}.${format}.json`);
      const doc = res.json();
      const r = validate(kind, doc);
      expect(r.valid, schemaErrors(r)).toBe(true);
      expect(res.body).not.toContain(CVE);
    }
    expect((await exportAs('csaf')).json().document.distribution.tlp.label).toBe('AMBER');
  });

  it('refuses a draft as a CVE record (it has no record state yet), and gives the CNA its container on ?draft=true', async () => {
    // A draft is not PUBLISHED: the CVE 5 schema knows only PUBLISHED and REJECTED records.
    const refused = await exportAs('cve5');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toMatch(/draft/i);
    expect(refused.body).not.toContain('PUBLISHED');

    const res = await exportAs('cve5&draft=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(`${advisoryId}.cve5-draft.json`);
    const body = res.json();
    // The body CVE Services takes for a CNA's record: the container, without cveMetadata (no state).
    expect(Object.keys(body)).toEqual(['cnaContainer']);
    expect(res.body).not.toContain('PUBLISHED');
    expect(res.body).not.toContain('datePublished');
    const asRecord = {
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: {
        cveId: CVE,
        assignerOrgId: body.cnaContainer.providerMetadata.orgId,
        state: 'PUBLISHED',
      },
      containers: { cna: body.cnaContainer },
    };
    const r = validate('cve5', asRecord);
    expect(r.valid, schemaErrors(r)).toBe(true);
    expect((await exportAs('cve5&draft=maybe')).statusCode).toBe(400);
  });

  it('exports a CSAF VEX document for products that are not affected, refusing one without its statement', async () => {
    const res = await exportAs(
      'vex&justification=vulnerable_code_not_in_execute_path&impact=' +
        encodeURIComponent('The xDS parser is not built into these releases.'),
    );
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    const r = validate('csaf', doc);
    expect(r.valid, schemaErrors(r)).toBe(true);
    expect(doc.document.category).toBe('csaf_vex');
    const vuln = doc.vulnerabilities[0];
    expect(vuln.product_status.known_not_affected.length).toBeGreaterThan(0);
    expect(vuln.flags[0].label).toBe('vulnerable_code_not_in_execute_path');
    expect(vuln.threats[0].details).toBe('The xDS parser is not built into these releases.');
    expect(res.body).not.toContain(CVE);

    const bare = await exportAs('vex');
    expect(bare.statusCode).toBe(422);
    expect(
      bare
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['impact', 'justification']);
    expect((await exportAs('vex&justification=because&impact=x')).statusCode).toBe(400);
  });

  it('answers 404 to those who may not read the advisory, and 400 to an unknown format', async () => {
    expect(
      (await team.request('GET', `/api/v1/cases/${humanId}/advisory/export?format=pdf`)).statusCode,
    ).toBe(400);
    const other = await createUser(t, { isAdmin: true });
    const admin = await tokenClient(t, other.id);
    expect(
      (await admin.request('GET', `/api/v1/cases/${humanId}/advisory/export?format=osv`)).statusCode,
    ).toBe(404);
  });

  it('exports from the command line by advisory id', async () => {
    const loc = get().location;
    const env = { DATABASE_URL: loc.databaseUrl ?? '', VIGIL_MASTER_KEY: MASTER_KEY.toString('base64') };
    const data = loc.dataDir ? ['--data', loc.dataDir] : [];
    const r = await runCommand(['advisory', 'export', advisoryId, '--format', 'osv', ...data], env);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const v = validate('osv', doc);
    expect(v.valid, schemaErrors(v)).toBe(true);
    expect(doc.id).toContain(advisoryId);
    const vex = await runCommand(
      [
        'advisory',
        'export',
        advisoryId,
        '--format',
        'vex',
        '--justification',
        'component_not_present',
        '--impact',
        'Not built in.',
        ...data,
      ],
      env,
    );
    expect(vex.code, vex.stderr).toBe(0);
    const vexDoc = JSON.parse(vex.stdout);
    expect(validate('csaf', vexDoc).valid).toBe(true);
    expect(vexDoc.document.category).toBe('csaf_vex');
    const noImpact = await runCommand(['advisory', 'export', advisoryId, '--format', 'vex', ...data], env);
    expect(noImpact.code).toBe(1);
    expect(noImpact.stderr).toContain('impact');
    const bad = await runCommand(['advisory', 'export', advisoryId, '--format', 'pdf', ...data], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--format');
  });
});
