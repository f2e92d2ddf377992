import { describe, expect, it } from 'vitest';
import { getPresetYaml } from '../../policy/policy.presets.js';
import { parsePolicy } from '../../policy/policy.parser.js';
import { parseAdvisoryDocument, patchedVersions } from '../advisory.schemas.js';
import { DEFAULT_TEMPLATES, renderAdvisory } from './render-advisory.js';
import {
  buildRenderContext,
  describeRange,
  embargoNoteOf,
  markdownToText,
  missingFields,
  releaseAtView,
  requiredFieldsOf,
  TEMPLATE_NAMES,
  variablesOf,
} from './render-context.js';
import { SAMPLE_RELEASE_AT, sampleAdvisory } from './sample-advisory.js';

const contour = { slug: 'contour', name: 'Contour', policy: parsePolicy(getPresetYaml('contour')) };
const k8spolicy = { slug: 'k8spolicy', name: 'k8spolicy', policy: parsePolicy(getPresetYaml('k8spolicy')) };

/** Every dotted key path of a plain-data value (list items by their first element). */
function keyPaths(value: unknown, prefix = ''): string[] {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, child]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return [path, ...keyPaths(child, path)];
  });
}

describe('describeRange', () => {
  it('writes OSV ranges as intervals', () => {
    expect(describeRange({ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.2.5' }] })).toEqual([
      '>= 1.2.0, < 1.2.5',
    ]);
    expect(
      describeRange({ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '2.0.0' }] }),
    ).toEqual(['<= 2.0.0']);
    expect(
      describeRange({
        type: 'ECOSYSTEM',
        events: [{ introduced: '1.0' }, { limit: '1.5' }, { introduced: '2.0' }],
      }),
    ).toEqual(['>= 1.0, < 1.5', '>= 2.0']);
    expect(describeRange({ type: 'SEMVER', events: [{ introduced: '0' }] })).toEqual(['all versions']);
    expect(
      describeRange({
        type: 'GIT',
        repo: 'https://example.com/r',
        events: [{ introduced: 'abcdef1234567890' }, { fixed: '0123456789abcdef' }],
      }),
    ).toEqual(['from commit abcdef1, fixed in 0123456']);
  });

  it('writes GIT ranges in commits: from the first commit, fixed on each branch, or not yet', () => {
    const repo = 'https://github.com/graylog2/graylog2-server';
    expect(
      describeRange({
        type: 'GIT',
        repo,
        events: [
          { introduced: '0' },
          { fixed: '466af814523cffae9fbc7e77bab7472988f03c3e' },
          { fixed: 'a101f4f12180fd3dfa7d3345188a099877a3c327' },
        ],
      }),
    ).toEqual(['from the first commit, fixed in 466af81 and a101f4f']);
    expect(
      describeRange({
        type: 'GIT',
        repo,
        events: [{ introduced: '0' }, { last_affected: 'b'.repeat(40) }, { introduced: 'c'.repeat(40) }],
      }),
    ).toEqual(['from the first commit, last affected in bbbbbbb', 'from commit ccccccc on, not fixed yet']);
  });
});

describe('render context', () => {
  it('formats the release time in UTC, in words and in the time zone of the project', () => {
    expect(releaseAtView('2026-12-01T17:30:00+01:00', 'Europe/Berlin')).toEqual({
      iso: '2026-12-01T16:30:00.000Z',
      date: '2026-12-01',
      utc: '2026-12-01 16:30 UTC',
      words: 'Tuesday, 1 December 2026 at 16:30 UTC',
      local: 'Tuesday, 1 December 2026 at 17:30 (Europe/Berlin)',
    });
  });

  it('writes Markdown links as text for mail', () => {
    expect(markdownToText('See [the guide](https://example.com/g).\n')).toBe(
      'See the guide <https://example.com/g>.',
    );
  });

  it('leaves the CVE id and the references out of the distributors context only', () => {
    const advisory = sampleAdvisory('Contour');
    const distributors = buildRenderContext('distributors', advisory, contour, SAMPLE_RELEASE_AT);
    expect(JSON.stringify(distributors)).not.toContain('CVE-2026-0000');
    expect(distributors.identifier).toBe('SAMPLE-ADV-2026-0001');
    expect('references' in distributors).toBe(false);
    const announcement = buildRenderContext('announcement', advisory, contour);
    expect(announcement).toMatchObject({
      cveId: 'CVE-2026-0000',
      identifier: 'CVE-2026-0000',
      releaseAt: null,
    });
    expect(announcement.upgradeVersions).toBe('1.2.5, 1.3.2');
    expect(announcement.severity).toMatchObject({ score: '7.5', label: 'High' });
    expect(announcement.attackVector).toBe('Network');
    expect(announcement.cwes[0]?.name).toContain('CRLF');
  });

  it('gives the other ids to the announcement and the page only', () => {
    const advisory = sampleAdvisory('Contour');
    for (const name of ['announcement', 'page'] as const) {
      expect(buildRenderContext(name, advisory, contour, SAMPLE_RELEASE_AT), name).toMatchObject({
        aliases: [{ id: 'GHSA-xxxx-xxxx-xxxx' }],
        aliasesText: 'GHSA-xxxx-xxxx-xxxx',
        hasAliases: true,
      });
    }
    for (const name of ['distributors', 'fix-coming'] as const) {
      const context = buildRenderContext(name, advisory, contour, SAMPLE_RELEASE_AT);
      expect(JSON.stringify(context), name).not.toContain('GHSA-xxxx');
      expect(
        variablesOf(name).map((v) => v.name),
        name,
      ).not.toContain('aliases');
    }
    const none = { ...advisory, document: { ...advisory.document, aliases: [] } };
    expect(buildRenderContext('page', none, contour)).toMatchObject({ aliases: [], hasAliases: false });
  });

  it('documents every variable of every context, and nothing else', () => {
    for (const name of TEMPLATE_NAMES) {
      const context = buildRenderContext(name, sampleAdvisory('Contour'), contour, SAMPLE_RELEASE_AT);
      const documented = variablesOf(name).map((v) => v.name);
      const paths = keyPaths(context);
      // Each key is documented, or is an object whose keys are (project, project.securityTeam...).
      const undocumented = paths.filter((p) => !documented.some((d) => d === p || d.startsWith(`${p}.`)));
      expect(undocumented, name).toEqual([]);
      expect(
        documented.filter((d) => !paths.includes(d)),
        name,
      ).toEqual([]);
    }
  });

  it("uses the policy's embargo policy, or the Contour checklist's note with the project's names", () => {
    expect(embargoNoteOf(contour)).toContain('Contour Security Team <https://projectcontour.io/');
    const note = embargoNoteOf(k8spolicy);
    expect(note).toContain('on the k8spolicy Distributors mailing list must not be made public');
    expect(note).toContain('you will be permanently removed from the list.');
  });
});

describe('an affected entry without a package', () => {
  /** The sample advisory with a second entry known only by its repository (as CVE-2023-41045). */
  function withGitEntry(gitOnly = false) {
    const sample = sampleAdvisory('Contour');
    const git = {
      ranges: [
        {
          type: 'GIT' as const,
          repo: 'https://github.com/graylog2/graylog2-server',
          events: [
            { introduced: '0' },
            { fixed: '466af814523cffae9fbc7e77bab7472988f03c3e' },
            { fixed: 'a101f4f12180fd3dfa7d3345188a099877a3c327' },
          ],
        },
      ],
    };
    const document = parseAdvisoryDocument({
      ...sample.document,
      affected: gitOnly ? [git] : [...sample.document.affected, git],
    });
    return { ...sample, document, patchedVersions: patchedVersions(document) };
  }

  it('is shown by its repository, its ranges and fixes in commits', () => {
    const context = buildRenderContext('page', withGitEntry(), contour);
    expect(context.affected[0]).toMatchObject({
      package: 'example.com/contour',
      name: 'example.com/contour (Go)',
      repo: '',
    });
    expect(context.affected[1]).toEqual({
      ecosystem: 'git',
      package: 'graylog2/graylog2-server',
      name: 'graylog2/graylog2-server (git)',
      repo: 'https://github.com/graylog2/graylog2-server',
      purl: null,
      ranges: [{ text: 'from the first commit, fixed in 466af81 and a101f4f' }],
      rangesText: 'from the first commit, fixed in 466af81 and a101f4f',
      fixedText: 'commit 466af81, commit a101f4f',
    });
    // Fixed commits are not versions: the upgrade list keeps the package's releases only.
    expect(context.upgradeVersions).toBe('1.2.5, 1.3.2');
  });

  it('renders in every default template, a fixed commit counting as the fix', () => {
    for (const advisory of [withGitEntry(), withGitEntry(true)]) {
      for (const name of TEMPLATE_NAMES) {
        const r = renderAdvisory(name, DEFAULT_TEMPLATES[name], advisory, contour, SAMPLE_RELEASE_AT);
        expect(r.body, name).toContain('graylog2/graylog2-server');
        expect(r.body, name).toContain('from the first commit, fixed in 466af81 and a101f4f');
      }
    }
    const mail = renderAdvisory(
      'distributors',
      DEFAULT_TEMPLATES.distributors,
      withGitEntry(true),
      contour,
      SAMPLE_RELEASE_AT,
    );
    expect(mail.body).toContain(
      '* graylog2/graylog2-server (git): from the first commit, fixed in 466af81 and a101f4f',
    );
    expect(missingFields('announcement', withGitEntry(true), undefined)).toEqual([]);
  });
});

describe('required fields', () => {
  it('names each field a template needs and the advisory lacks', () => {
    const advisory = sampleAdvisory('Contour');
    for (const name of TEMPLATE_NAMES) {
      expect(missingFields(name, advisory, SAMPLE_RELEASE_AT), name).toEqual([]);
    }
    const empty = {
      ...advisory,
      document: { ...advisory.document, summary: '', description: ' ', workarounds: '', mitigations: '' },
      patchedVersions: [{ ecosystem: 'Go', package: 'x', versions: [] }],
    };
    const paths = (name: (typeof TEMPLATE_NAMES)[number], at?: string) =>
      missingFields(name, empty, at).map((i) => i.path);
    expect(paths('distributors')).toEqual([
      'document.description',
      'document.affected',
      'document.workarounds',
      'document.mitigations',
      'releaseAt',
    ]);
    expect(missingFields('distributors', empty, undefined)[1]?.message).toContain('fixed version');
    expect(paths('fix-coming', SAMPLE_RELEASE_AT)).toEqual(['document.workarounds', 'document.mitigations']);
    // Workarounds and mitigations are a pair: either one answers both.
    const onlyMitigations = { ...empty, document: { ...empty.document, mitigations: 'Restrict access.' } };
    expect(missingFields('fix-coming', onlyMitigations, SAMPLE_RELEASE_AT)).toEqual([]);
    expect(paths('announcement')).toEqual(['document.summary', 'document.affected']);
    // The page needs an affected package, not a fix.
    expect(paths('page')).toEqual(['document.summary', 'document.description']);
    for (const name of TEMPLATE_NAMES)
      expect(paths(name).every((p) => requiredFieldsOf(name).includes(p))).toBe(true);
  });
});
