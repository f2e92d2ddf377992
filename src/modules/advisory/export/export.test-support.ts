/**
 * Test support for the OSV and GitHub exports: advisories built through the real document schema,
 * and the official OSV schema validator from ../shared/standards, loaded by absolute path. A missing
 * validator, or its missing node_modules, fails the run loudly instead of skipping validation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../../lib/paths.js';
import { parseAdvisoryDocument, type AdvisoryDocumentInput } from '../advisory.schemas.js';
import type { AdvisoryExportContext, AdvisoryExportInput } from './osv.js';

export interface SchemaResult {
  valid: boolean;
  errors: { instancePath: string; message?: string; params: unknown }[];
}
export type ValidateStandard = (kind: 'osv' | 'cve5' | 'csaf', doc: unknown) => SchemaResult;

/** `validate(kind, doc)` from ../shared/standards/validate.mjs; throws when it or ajv is missing. */
export async function loadValidator(): Promise<ValidateStandard> {
  const dir = join(repoRoot(), '..', 'shared', 'standards');
  const script = join(dir, 'validate.mjs');
  if (!existsSync(script)) throw new Error(`The official schema validator is missing: ${script}`);
  if (
    !existsSync(join(dir, 'node_modules', 'ajv')) ||
    !existsSync(join(dir, 'node_modules', 'ajv-formats'))
  ) {
    throw new Error(`The schema validator's ajv is not installed: run \`cd ${dir} && npm ci\``);
  }
  const mod: unknown = await import(pathToFileURL(script).href);
  const validate = mod && typeof mod === 'object' && 'validate' in mod ? mod.validate : undefined;
  if (typeof validate !== 'function') throw new Error(`${script} does not export validate()`);
  return validate as ValidateStandard;
}

/** The schema errors, readable in a failed assertion. */
export function schemaErrors(r: SchemaResult): string {
  return r.errors
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}

export const CONTEXT: AdvisoryExportContext = {
  project: { slug: 'contour', name: 'Contour', repositoryUrl: 'https://github.com/projectcontour/contour' },
};

export const CVE = 'CVE-2026-41234';
export const GHSA = 'GHSA-7m5x-3q2p-vw9c';
export const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
export const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N';
export const V30 = 'CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N';
export const V20 = 'AV:N/AC:M/Au:N/C:P/I:N/A:N';

const SHA = (c: string) => c.repeat(40);

/** An advisory around `document` (parsed by the real schema, so defaults and rules apply). */
export function advisory(
  document: AdvisoryDocumentInput,
  meta: Partial<Omit<AdvisoryExportInput, 'document'>> = {},
): AdvisoryExportInput {
  return {
    advisoryId: 'CTR-ADV-2026-0007',
    state: 'draft',
    cveId: null,
    createdAt: '2026-03-02T09:15:00.000Z',
    updatedAt: '2026-03-09T17:45:30.250Z',
    ...meta,
    document: parseAdvisoryDocument(document),
  };
}

/** A plain advisory: one Go package, one SEMVER range, CVSS v3.1. */
export const basicDocument = (): AdvisoryDocumentInput => ({
  title: 'Heap overflow in the xDS parser',
  summary: 'A crafted ClusterLoadAssignment crashes Contour',
  description: 'The parser trusts the endpoint count field.\n\nSend a crafted message to crash it.',
  workarounds: 'Restrict access to the xDS port.',
  amIVulnerable: 'You are if you expose the xDS port.',
  affected: [
    {
      ecosystem: 'Go',
      package: 'github.com/projectcontour/contour',
      purl: 'pkg:golang/github.com/projectcontour/contour',
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.28.4' }] }],
    },
  ],
  references: [{ type: 'FIX', url: 'https://github.com/projectcontour/contour/pull/6001' }],
  credits: [{ name: 'Ada Lovelace', contact: ['https://example.org/ada'], type: 'FINDER' }],
  severity: { cvss: [{ vector: V31 }] },
  cwes: ['CWE-787'],
});

/** Unicode in every text field: accents, CJK, RTL, emoji, combining marks. */
export const unicodeDocument = (): AdvisoryDocumentInput => ({
  ...basicDocument(),
  title: 'Débordement de tas — ヒープオーバーフロー 🐛',
  summary: 'Überlauf im xDS-Parser: «ClusterLoadAssignment» façonné, 解析器崩溃',
  description: '# Détails\n\nالمحلل يثق بحقل العدد. Ñandú e\u0301 — 💥 `ζ = ∑ x²`.',
  workarounds: 'Ограничьте доступ к порту xDS.',
  mitigations: '限制访问 xDS 端口。',
  amIVulnerable: 'Ναι, αν εκθέτετε τη θύρα xDS.',
  affected: [
    {
      ecosystem: 'npm',
      package: '@contour/ünïcødé-client',
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0-alpha' }, { fixed: '1.2.3' }] }],
    },
  ],
  credits: [
    { name: 'Zoë Ōkubo (大久保)', type: 'FINDER' },
    { name: 'محمد 👩‍💻', type: 'REMEDIATION_DEVELOPER' },
  ],
});

/**
 * Many affected packages and ranges: SEMVER, ECOSYSTEM and GIT, with fixed, last_affected and
 * limit, and an entry without a package (GIT ranges only).
 */
export const manyRangesDocument = (): AdvisoryDocumentInput => ({
  ...basicDocument(),
  affected: [
    {
      ecosystem: 'Go',
      package: 'github.com/projectcontour/contour',
      purl: 'pkg:golang/github.com/projectcontour/contour',
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.26.5' }] },
        { type: 'SEMVER', events: [{ introduced: '1.27.0' }, { fixed: '1.27.3' }] },
        { type: 'SEMVER', events: [{ introduced: '1.28.0' }, { last_affected: '1.28.3' }] },
        {
          type: 'GIT',
          repo: 'https://github.com/projectcontour/contour',
          events: [{ introduced: SHA('a') }, { fixed: SHA('b') }, { limit: SHA('c') }],
        },
      ],
      versions: ['1.28.0', '1.28.1', '1.28.2', '1.28.3'],
    },
    {
      ecosystem: 'PyPI',
      package: 'contour-client',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.1' }] }],
    },
    {
      ecosystem: 'Debian:12',
      package: 'contour',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.28.4-1' }] }],
    },
    {
      ecosystem: 'GitHub Actions',
      package: 'projectcontour/setup-contour',
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/projectcontour/setup-contour',
          events: [{ introduced: '0' }, { fixed: SHA('d') }],
        },
      ],
    },
    // No package: a project released as commits, known by its repository (OSV's form for C/C++).
    {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/projectcontour/contour-envoy-filters',
          events: [{ introduced: '0' }, { fixed: SHA('e') }, { fixed: SHA('f') }],
        },
      ],
    },
  ],
  severity: { cvss: [{ vector: V30 }, { vector: V20 }] },
  cwes: ['CWE-787', 'CWE-20'],
  aliases: ['GO-2026-2963', 'RHSA-2026:0216'],
});

/** Published with CVSS v3.1 and v4.0, and known by a GitHub advisory id too. */
export const publishedDocument = (): AdvisoryDocumentInput => ({
  ...basicDocument(),
  references: [
    { type: 'ADVISORY', url: `https://www.cve.org/CVERecord?id=${CVE}` },
    { type: 'FIX', url: 'https://github.com/projectcontour/contour/pull/6001' },
  ],
  severity: { cvss: [{ vector: V31 }, { vector: V40 }] },
  aliases: [GHSA],
});

/** Only an entry without a package (OSV's form for C/C++ projects): a GIT range with two fixes. */
export const gitOnlyDocument = (): AdvisoryDocumentInput => ({
  ...basicDocument(),
  affected: [
    {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/envoyproxy/envoy',
          events: [{ introduced: '0' }, { fixed: SHA('1') }, { fixed: SHA('2') }],
        },
      ],
    },
  ],
});
