import { describe, expect, it } from 'vitest';
import { advisoryDocumentSchema } from '../../advisory/advisory.schemas.js';
import { CVE_MASK, IDENTITY_MASK, distributorAdvisoryView, maskWithheld } from './distributor-view.js';

const doc = advisoryDocumentSchema.parse({
  title: 'Header smuggling in the listener (CVE-2026-4242)',
  summary: 'Found by Ada Lovelace of Analytical Engines',
  description: 'See cve-2026-4242 and [the fix](https://github.com/example/fix/pull/1). Ask ada@example.org.',
  workarounds: 'None known.',
  affected: [
    {
      ecosystem: 'Go',
      package: 'github.com/example/listener',
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.2.5' }] }],
    },
  ],
  references: [{ type: 'FIX', url: 'https://github.com/example/fix/pull/1' }],
  credits: [{ name: 'Ada Lovelace', type: 'FINDER', contact: ['ada@example.org'] }],
  severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] },
  cwes: ['CWE-444'],
  aliases: ['GHSA-abcd-efgh-ijkl'],
});

describe('the distributors’ view of an advisory draft', () => {
  const view = distributorAdvisoryView({ advisoryId: 'CTR-ADV-2026-0001', state: 'draft' }, doc, {
    cveId: 'CVE-2026-4242',
    identities: ['Analytical Engines', 'Ada', 'ada@example.org'],
  });
  const text = JSON.stringify(view);

  it('carries no CVE id, reference, alias, credit nor the reporter’s identity', () => {
    expect(text).not.toMatch(/CVE-2026-4242/i);
    expect(text).not.toContain('GHSA-abcd');
    expect(text).not.toContain('Lovelace');
    expect(text).not.toContain('Analytical Engines');
    expect(text).not.toContain('ada@example.org');
    expect(view).not.toHaveProperty('credits');
    expect(view).not.toHaveProperty('references');
    expect(view).not.toHaveProperty('cveId');
    expect(view.title).toBe(`Header smuggling in the listener (${CVE_MASK})`);
    expect(view.summary).toBe(`Found by ${IDENTITY_MASK} of ${IDENTITY_MASK}`);
  });

  it('keeps what a distributor needs: affected versions, the fix, severity and weakness', () => {
    expect(view.affected[0]?.ranges[0]?.events).toEqual([
      { kind: 'introduced', value: '1.2.0' },
      { kind: 'fixed', value: '1.2.5' },
    ]);
    expect(view.patchedVersions).toEqual([
      { ecosystem: 'Go', package: 'github.com/example/listener', versions: ['1.2.5'] },
    ]);
    expect(view.severity).toMatchObject({ score: 9.8, severity: 'critical' });
    expect(view.cwes[0]?.id).toBe('CWE-444');
    expect(view.workarounds).toBe('None known.');
    // The link text of the description stays; Markdown links are rendered safely.
    expect(view.descriptionHtml).toContain('<a href="https://github.com/example/fix/pull/1"');
  });

  it('masks whole words only, and leaves short identities alone', () => {
    const withheld = { cveId: null, identities: ['Ada', 'Bob Smith'] };
    expect(maskWithheld('Adam and Ada met Bob Smith; Bob Smithers', withheld)).toBe(
      `Adam and Ada met ${IDENTITY_MASK}; Bob Smithers`,
    );
  });
});
