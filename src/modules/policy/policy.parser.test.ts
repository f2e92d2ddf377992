import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldIssue } from '../../lib/errors.js';
import { getPresetYaml } from './policy.presets.js';
import { parsePolicy } from './policy.parser.js';
import { POLICY_MAX_BYTES } from './policy.schema.js';

const contour = getPresetYaml('contour');
const emissary = getPresetYaml('emissary');

/** The 1-based line of the first line of `text` that contains `needle` (a string, or a pattern). */
function lineOf(text: string, needle: string | RegExp): number {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l)));
  if (index < 0) throw new Error(`"${needle}" is not in the text`);
  return index + 1;
}

/** Replaces exactly one occurrence, so a test cannot silently edit nothing. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function issuesOf(yaml: string): FieldIssue[] {
  try {
    parsePolicy(yaml);
  } catch (err) {
    if (err instanceof ValidationError) {
      expect(err.message).toBe('Policy is invalid');
      return err.issues;
    }
    throw err;
  }
  throw new Error('the policy was accepted');
}

describe('parsePolicy', () => {
  it('fills in defaults that a document leaves out', () => {
    const yaml = edit(contour, '  maxAttachmentBytesPerCase: 26214400 # 25 MiB\n', '');
    const policy = parsePolicy(edit(yaml, '  caseIdPrefix: CTR\n', ''));
    expect(policy.intake.maxAttachmentBytesPerCase).toBe(25 * 1024 * 1024);
    expect(policy.intake.caseIdPrefix).toBeNull();
  });

  it('accepts a valid time zone and holiday region', () => {
    const yaml = edit(
      edit(contour, 'timeZone: UTC', 'timeZone: Europe/Berlin'),
      'holidays: null',
      'holidays: DE-BY',
    );
    const policy = parsePolicy(yaml);
    expect(policy.timeZone).toBe('Europe/Berlin');
    expect(policy.holidays).toBe('DE-BY');
  });

  it('reports a YAML syntax error at its line', () => {
    const yaml = edit(contour, '  name: Contour\n', '  name: [Contour\n');
    const issues = issuesOf(yaml);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path).toBe('');
    expect(issues[0]?.message).toMatch(/^YAML: /);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(lineOf(yaml, '  name: [Contour'));
  });

  it('reports a duplicate key at the second occurrence', () => {
    const yaml = edit(
      contour,
      '  fixLead: security-team\n',
      '  fixLead: security-team\n  fixLead: round-robin\n',
    );
    expect(issuesOf(yaml)).toEqual([
      { path: '', message: 'Duplicate key "fixLead"', line: lineOf(yaml, 'fixLead: round-robin') },
    ]);
  });

  it('reports a wrong type at the key, with the dotted path', () => {
    const yaml = edit(contour, '    businessDays: 3\n', '    businessDays: three\n');
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'triage.firstResponse.businessDays',
        message: expect.stringMatching(/expected number/),
        line: lineOf(yaml, 'businessDays: three'),
      },
    ]);
  });

  it('reports an unknown key, so a typo is caught', () => {
    const yaml = edit(contour, '  fixLead: security-team\n', '  fixLeed: security-team\n');
    const issues = issuesOf(yaml);
    expect(issues).toContainEqual({
      path: 'fix.fixLeed',
      message: 'Unknown field "fixLeed"',
      line: lineOf(yaml, 'fixLeed:'),
    });
    // ...and the key it replaced is missing, reported at its parent's line.
    expect(issues).toContainEqual({
      path: 'fix.fixLead',
      message: 'Required field is missing',
      line: lineOf(yaml, /^fix:/),
    });
  });

  it('reports a missing top-level key at the line where the document root starts', () => {
    const yaml = edit(contour, 'kind: SecurityPolicy\n', '');
    expect(issuesOf(yaml)).toEqual([
      { path: 'kind', message: 'Required field is missing', line: lineOf(yaml, 'apiVersion:') },
    ]);
  });

  it('reports out-of-range numbers', () => {
    const yaml = edit(contour, '    businessDays: 3\n', '    businessDays: 0\n');
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'triage.firstResponse.businessDays',
        message: expect.stringMatching(/>=1/),
        line: lineOf(yaml, 'businessDays: 0'),
      },
    ]);
    const big = edit(contour, '  maxEmbargoDays: 28\n', '  maxEmbargoDays: 9999\n');
    expect(issuesOf(big)).toEqual([
      {
        path: 'disclosure.maxEmbargoDays',
        message: expect.stringMatching(/<=365/),
        line: lineOf(big, 'maxEmbargoDays: 9999'),
      },
    ]);
  });

  it('reports a list item by its index and line', () => {
    const yaml = edit(
      contour,
      '      - Known attack vectors\n      - Possible',
      '      - 42\n      - Possible',
    );
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'disclosure.distributorsList.noticeIncludes[3]',
        message: expect.stringMatching(/expected string/),
        line: lineOf(yaml, '      - 42'),
      },
    ]);
  });

  it('rejects an unknown time zone and an unknown holiday region at their lines', () => {
    const yaml = edit(
      edit(contour, 'timeZone: UTC', 'timeZone: Mars/Olympus_Mons'),
      'holidays: null',
      'holidays: XX-NOPE',
    );
    expect(issuesOf(yaml)).toEqual([
      { path: 'timeZone', message: expect.stringMatching(/IANA time zone/), line: lineOf(yaml, 'timeZone:') },
      {
        path: 'holidays',
        message: expect.stringMatching(/date-holidays region/),
        line: lineOf(yaml, 'holidays:'),
      },
    ]);
  });

  it('rejects a bad case id prefix, a non-http URL and a bad email', () => {
    let yaml = edit(contour, 'caseIdPrefix: CTR', 'caseIdPrefix: ctr-1');
    yaml = edit(
      yaml,
      'advisoriesUrl: https://github.com/projectcontour/contour/security/advisories',
      'advisoriesUrl: javascript:alert(1)',
    );
    yaml = edit(yaml, '    email: cncf-contour-maintainers@lists.cncf.io', '    email: not an address');
    const paths = issuesOf(yaml).map((i) => [i.path, i.line]);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['intake.caseIdPrefix', lineOf(yaml, 'caseIdPrefix:')],
        ['project.advisoriesUrl', lineOf(yaml, 'advisoriesUrl:')],
        ['contacts.securityTeam.email', lineOf(yaml, 'email: not an address')],
      ]),
    );
  });

  it('bounds strings and lists', () => {
    const long = edit(contour, '  name: Contour\n', `  name: ${'x'.repeat(101)}\n`);
    expect(issuesOf(long)).toEqual([
      { path: 'project.name', message: expect.stringMatching(/<=100/), line: lineOf(long, '  name: xxx') },
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `    - item ${i}`).join('\n');
    const listed = edit(contour, '  reportContents:\n', `  reportContents:\n${many}\n`);
    expect(issuesOf(listed)).toEqual([
      {
        path: 'intake.reportContents',
        message: expect.stringMatching(/<=20/),
        line: lineOf(listed, 'reportContents:'),
      },
    ]);
  });

  it('rejects control characters in single-line text', () => {
    const yaml = edit(contour, '  name: Contour\n', '  name: "Con\\ntour"\n');
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'project.name',
        message: 'must be a single line without control characters',
        line: lineOf(yaml, 'name: "Con'),
      },
    ]);
  });

  it('rejects a document over 64 KiB, at the line where the limit is crossed', () => {
    const filler = `${'# padding padding padding padding padding padding padding padding\n'.repeat(1200)}`;
    const yaml = filler + contour;
    expect(Buffer.byteLength(yaml)).toBeGreaterThan(POLICY_MAX_BYTES);
    const issues = issuesOf(yaml);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe('The document is larger than 64 KiB');
    const expectedLine = yaml.slice(0, POLICY_MAX_BYTES).split('\n').length;
    expect(issues[0]?.line).toBe(expectedLine);
  });

  it('counts bytes, not characters', () => {
    // 22,000 three-byte characters: under 64 Ki characters, over 64 KiB.
    const yaml = edit(contour, '# Contour', `# ${'€'.repeat(22_000)}`);
    expect(yaml.length).toBeLessThan(POLICY_MAX_BYTES);
    expect(issuesOf(yaml)[0]?.message).toBe('The document is larger than 64 KiB');
  });

  it('rejects an alias expansion bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(issuesOf(bomb)).toEqual([
      { path: '', message: 'Too many aliases: the document expands too much', line: 2 },
    ]);
  });

  it('rejects an empty document, a list, and several documents', () => {
    expect(issuesOf('')[0]).toMatchObject({ path: '', line: 1 });
    expect(issuesOf('- a\n- b\n')[0]).toMatchObject({
      path: '',
      message: expect.stringMatching(/expected object/),
      line: 1,
    });
    expect(issuesOf(`${contour}---\n${contour}`)[0]?.message).toMatch(/^YAML: /);
  });

  it('rejects a __proto__ key as unknown', () => {
    const yaml = edit(contour, 'project:\n', 'project:\n  __proto__:\n    polluted: true\n');
    expect(issuesOf(yaml)).toContainEqual(
      expect.objectContaining({ path: 'project.__proto__', line: lineOf(yaml, '__proto__') }),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects the wrong apiVersion and kind', () => {
    const yaml = edit(
      edit(contour, 'apiVersion: vigil.dev/v1', 'apiVersion: vigil.dev/v2'),
      'kind: SecurityPolicy',
      'kind: Policy',
    );
    expect(issuesOf(yaml).map((i) => [i.path, i.line])).toEqual([
      ['apiVersion', lineOf(yaml, 'apiVersion:')],
      ['kind', lineOf(yaml, 'kind:')],
    ]);
  });
});

describe('cross-field rules', () => {
  it('requires minDays <= maxDays', () => {
    const yaml = edit(
      emissary,
      '  release:\n    minDays: 1\n    maxDays: 21',
      '  release:\n    minDays: 22\n    maxDays: 21',
    );
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'fix.release.maxDays',
        message: 'must not be less than minDays',
        line: lineOf(yaml, 'maxDays: 21'),
      },
    ]);
  });

  it('keeps the fix and the users notice inside the release window', () => {
    const yaml = edit(
      emissary,
      '  fixDeveloped:\n    minDays: 1\n    maxDays: 7',
      '  fixDeveloped:\n    minDays: 1\n    maxDays: 30',
    );
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'fix.fixDeveloped.maxDays',
        message: 'must not end after the release window',
        line: lineOf(yaml, 'maxDays: 30'),
      },
    ]);
  });

  it('requires the criteria, the address and the embargo policy when the distributors list is enabled', () => {
    const yaml = edit(
      emissary,
      '  distributorsList:\n    enabled: false',
      '  distributorsList:\n    enabled: true',
    );
    const line = lineOf(yaml, 'distributorsList:');
    expect(issuesOf(yaml)).toEqual([
      { path: 'disclosure.distributorsList.name', message: 'is required when the list is enabled', line },
      { path: 'disclosure.distributorsList.email', message: 'is required when the list is enabled', line },
      {
        path: 'disclosure.distributorsList.membershipCriteria',
        message: 'must list the criteria when the list is enabled',
        line: lineOf(yaml, 'distributorsList:'),
      },
      {
        path: 'disclosure.distributorsList.embargoPolicy',
        message: 'is required when the list is enabled',
        line,
      },
    ]);
  });

  it('rejects distributors as a negotiation party when there is no list', () => {
    const yaml = edit(
      contour,
      '    enabled: true\n    name: Contour Distributors',
      '    enabled: false\n    name: Contour Distributors',
    );
    const issues = issuesOf(yaml);
    expect(issues).toContainEqual({
      path: 'disclosure.distributorsList.enabled',
      message: 'is false but the list has an address, criteria or policy',
      line: lineOf(yaml, '    enabled: false'),
    });
    expect(issues).toContainEqual({
      path: 'disclosure.negotiationParties',
      message: 'names distributors but the list is disabled',
      line: lineOf(yaml, 'negotiationParties:'),
    });
  });

  it('requires an issue tracker when non-security bugs are redirected', () => {
    const yaml = edit(
      contour,
      '  issueTrackerUrl: https://github.com/projectcontour/contour/issues/new/choose\n',
      '',
    );
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'project.issueTrackerUrl',
        message: 'is required when non-security bugs are redirected',
        line: lineOf(yaml, /^project:/),
      },
    ]);
  });

  it('requires a round-robin Fix Lead for a fix-lead decision', () => {
    const yaml = edit(contour, 'cvssFinalCall: security-team', 'cvssFinalCall: fix-lead');
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'severity.cvssFinalCall',
        message: 'is fix-lead but fix.fixLead is not round-robin',
        line: lineOf(yaml, 'cvssFinalCall:'),
      },
    ]);
  });

  it('requires DoS triggers when only high-risk DoS activates the process', () => {
    const yaml = edit(contour, '    scope: all', '    scope: high-risk-only');
    expect(issuesOf(yaml)).toEqual([
      {
        path: 'triage.denialOfService.activatesFor',
        message: 'must name what activates the process',
        line: lineOf(yaml, 'denialOfService:'),
      },
    ]);
  });
});
