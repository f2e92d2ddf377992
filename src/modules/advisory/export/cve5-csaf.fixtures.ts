/**
 * Test support for the CVE 5 and CSAF exports: advisories built through the real document schema,
 * and the official schema validator from ../shared/standards (loaded by absolute path; a missing
 * validator fails the test run loudly instead of skipping validation).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../../lib/paths.js';
import { parseAdvisoryDocument, type AdvisoryDocumentInput } from '../advisory.schemas.js';
import type { ExportableAdvisory } from './cve5.js';

export interface SchemaResult {
  valid: boolean;
  errors: { instancePath: string; message?: string; params: unknown }[];
}
type Validate = (kind: 'cve5' | 'csaf' | 'osv', doc: unknown) => SchemaResult;

/** `validate(kind, doc)` from ../shared/standards/validate.mjs; throws when it or its ajv is missing. */
export async function loadStandardsValidator(): Promise<Validate> {
  const p = join(repoRoot(), '..', 'shared', 'standards', 'validate.mjs');
  if (!existsSync(p)) throw new Error(`The official schema validator is missing: ${p}`);
  const mod = (await import(pathToFileURL(p).href)) as { validate?: Validate };
  if (typeof mod.validate !== 'function') throw new Error(`${p} does not export validate()`);
  return mod.validate;
}

/** The schema errors, readable in a failed assertion. */
export function schemaErrors(r: SchemaResult): string[] {
  return r.errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** An advisory as the service's view carries it, its document parsed by the real schema. */
export function buildAdvisory(
  over: Partial<Omit<ExportableAdvisory, 'document'>> & { document?: AdvisoryDocumentInput } = {},
): ExportableAdvisory {
  const { document, ...rest } = over;
  return {
    advisoryId: 'CONTOUR-ADV-2026-0007',
    state: 'draft',
    stateReason: null,
    cveId: null,
    revision: 3,
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-05T16:30:00.000Z',
    ...rest,
    document: parseAdvisoryDocument(document ?? BASIC_DOCUMENT),
  };
}

export const BASIC_DOCUMENT: AdvisoryDocumentInput = {
  title: 'Heap overflow in the xDS parser',
  summary: 'A crafted ClusterLoadAssignment overflows the xDS parser',
  description: 'The parser trusts the **endpoint count** field.\n\n```\ncount: 4294967295\n```',
  affected: [
    {
      ecosystem: 'Go',
      package: 'github.com/projectcontour/contour',
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.28.4' }] }],
    },
  ],
  workarounds: 'Disable the xDS listener.',
  references: [{ type: 'FIX', url: 'https://github.com/projectcontour/contour/commit/abc123' }],
  credits: [{ name: 'Ada Lovelace', type: 'FINDER' }],
  severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] },
  cwes: ['CWE-787'],
};

/**
 * Unicode in every text, many ranges of every type, explicit versions, both CVSS versions, and an
 * entry without a package (GIT ranges only).
 */
export const RICH_DOCUMENT: AdvisoryDocumentInput = {
  title: 'Dépassement de tampon dans l’analyseur — 解析器の脆弱性 🐛',
  summary: 'Ünïcödé summary: 日本語, Ελληνικά, עברית, emoji 🔥',
  description:
    '## Détails\n\nL’analyseur fait confiance au champ « count ». 攻撃者は細工されたメッセージを送信できます。\n\n- ✅ item\n- ❌ item',
  affected: [
    {
      ecosystem: 'npm',
      package: '@exämple/pärser',
      purl: 'pkg:npm/%40example/parser',
      ranges: [
        {
          type: 'SEMVER',
          events: [{ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0.0' }, { fixed: '2.4.1' }],
        },
        { type: 'SEMVER', events: [{ introduced: '3.0.0-beta.1' }, { last_affected: '3.1.0' }] },
        { type: 'SEMVER', events: [{ introduced: '4.0.0' }] },
      ],
      versions: ['1.2.2', '2.4.0'],
    },
    {
      ecosystem: 'PyPI',
      package: 'päckage-ß',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0.9rc1' }, { fixed: '1.0.post1' }] }],
    },
    {
      ecosystem: 'Debian:12',
      package: 'libexample',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0-1' }, { limit: '1.5-3+deb12u1' }] }],
    },
    {
      ecosystem: 'GitHub Actions',
      package: 'example/action',
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/example/action',
          events: [
            { introduced: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567' },
            { fixed: 'fedcba9876543210fedcba9876543210fedcba98' },
          ],
        },
      ],
    },
    { ecosystem: 'Alpine:v3.20', package: 'libexample-ümlaut', ranges: [] },
    // No package: a C project released as commits, known by its repository (as OSV writes it).
    {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/graylog2/graylog2-server',
          events: [
            { introduced: '0' },
            { fixed: '466af814523cffae9fbc7e77bab7472988f03c3e' },
            { fixed: 'a101f4f12180fd3dfa7d3345188a099877a3c327' },
          ],
        },
      ],
    },
  ],
  workarounds: 'Désactivez l’écouteur xDS. 回避策: リスナーを無効にする。',
  mitigations: 'Limitez l’accès réseau — 🔒.',
  amIVulnerable: 'Run `example --version`.',
  references: [
    { type: 'ADVISORY', url: 'https://example.org/advisories/ümlaut' },
    { type: 'FIX', url: 'https://github.com/example/parser/pull/42' },
    { type: 'REPORT', url: 'https://github.com/example/parser/issues/41' },
    { type: 'WEB', url: 'https://example.org/blog/%E2%9C%93' },
  ],
  credits: [
    { name: 'Zoë Ñúñez (Ünïversität)', type: 'FINDER' },
    { name: '山田太郎', type: 'REPORTER' },
    { name: 'Łukasz', type: 'REMEDIATION_DEVELOPER' },
    { name: 'Ørsted Analyst', type: 'ANALYST' },
    { name: 'Coördinator CERT', type: 'COORDINATOR' },
  ],
  severity: {
    cvss: [
      { vector: 'CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:H' },
      { vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:H/VI:L/VA:N/SC:L/SI:N/SA:H' },
    ],
  },
  cwes: ['CWE-787', 'CWE-20'],
  aliases: ['GHSA-7m5x-3q2p-vw9c', 'RHSA-2026:0216', 'PYSEC-2026-74'],
};

/** Only an entry without a package, as OSV's CVE-2023-41045 (Graylog) has it: a GIT range, two fixes. */
export const GIT_ONLY_DOCUMENT: AdvisoryDocumentInput = {
  title: 'Graylog uses one source port for DNS queries',
  description: 'A single socket for outgoing DNS queries makes cache poisoning easier.',
  affected: [
    {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/graylog2/graylog2-server',
          events: [
            { introduced: '0' },
            { fixed: '466af814523cffae9fbc7e77bab7472988f03c3e' },
            { fixed: 'a101f4f12180fd3dfa7d3345188a099877a3c327' },
          ],
        },
      ],
    },
  ],
  references: [
    {
      type: 'FIX',
      url: 'https://github.com/Graylog2/graylog2-server/commit/466af814523cffae9fbc7e77bab7472988f03c3e',
    },
  ],
  severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N' }] },
};

export const CVE5_CONTEXT = {
  orgId: '8254265b-2729-46b6-b9e3-3dfca2d5bfca',
  shortName: 'contour',
  vendor: 'Project Contour',
  generator: 'Vigil 0.1.0',
};
