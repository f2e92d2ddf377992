/**
 * The built-in sample advisory the template previews render against, so a project page can show
 * a template without a case. Every field is filled, so every variable shows something.
 */
import { overallSeverity, scoreVectors } from '../advisory-severity.js';
import { parseAdvisoryDocument, patchedVersions } from '../advisory.schemas.js';
import type { RenderableAdvisory } from './render-context.js';

/** The release date and time the sample renders with. */
export const SAMPLE_RELEASE_AT = '2026-12-01T16:00:00Z';

/** A complete sample advisory for `projectName`'s `ecosystem` package. */
export function sampleAdvisory(projectName: string): RenderableAdvisory {
  const document = parseAdvisoryDocument({
    title: 'Header injection in the HTTP proxy (sample advisory)',
    summary: 'A crafted request header lets a client reach routes it should not',
    description:
      'The proxy copies a client-supplied header into the upstream request without checking it, so a ' +
      'client can reach a route that is meant to be internal.\n\nThis is **sample text** for previews.',
    affected: [
      {
        ecosystem: 'Go',
        package: `example.com/${projectName.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'project'}`,
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.2.5' }] },
          { type: 'SEMVER', events: [{ introduced: '1.3.0' }, { fixed: '1.3.2' }] },
        ],
      },
    ],
    workarounds: 'Drop the `X-Internal-Route` header at your edge proxy.',
    mitigations: 'Restrict the internal routes to trusted source addresses until you upgrade.',
    amIVulnerable: 'You are affected when internal routes are configured on a listener clients can reach.',
    references: [{ type: 'FIX', url: 'https://example.com/project/pull/1' }],
    credits: [{ name: 'Ada Lovelace', type: 'FINDER' }],
    severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }] },
    cwes: ['CWE-113'],
    aliases: ['GHSA-xxxx-xxxx-xxxx'],
  });
  const scored = scoreVectors(document);
  const top = overallSeverity(scored);
  return {
    advisoryId: 'SAMPLE-ADV-2026-0001',
    cveId: 'CVE-2026-0000',
    state: 'draft',
    document,
    cvss: scored,
    severity: top,
    patchedVersions: patchedVersions(document),
  };
}
