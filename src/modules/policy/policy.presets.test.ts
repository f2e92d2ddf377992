import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parsePolicy } from './policy.parser.js';
import { getPresetPolicy, getPresetYaml, PRESET_NAMES } from './policy.presets.js';
import type { Policy } from './policy.schema.js';

/** The rows of PROCESS.md §10, read off a parsed policy. */
function section10(p: Policy) {
  return {
    firstResponseBusinessDays: p.triage.firstResponse?.businessDays ?? null,
    fixLead: p.fix.fixLead,
    fixTeamOrganisedHours: p.fix.fixTeamOrganised?.withinHours ?? null,
    fixDevelopedDays: p.fix.fixDeveloped && [p.fix.fixDeveloped.minDays, p.fix.fixDeveloped.maxDays],
    usersToldOfFixDays: p.fix.usersToldOfFix && [p.fix.usersToldOfFix.minDays, p.fix.usersToldOfFix.maxDays],
    releaseDays: p.fix.release && [p.fix.release.minDays, p.fix.release.maxDays],
    backportToAllSupported: p.releases.backportToAllSupported,
    criticalTargetBusinessDays: p.disclosure.criticalTarget?.businessDays ?? null,
    disclosureNegotiated: p.disclosure.negotiationParties.length > 0,
    distributorsList: p.disclosure.distributorsList.enabled,
    lowSeveritySlowDown: p.severity.lowSeveritySlowDown && {
      below: p.severity.lowSeverityThreshold,
      approximate: p.severity.lowSeveritySlowDown.thresholdApproximate,
      orLowAssessedRisk: p.severity.lowSeveritySlowDown.alsoWhenAssessedRiskLow,
    },
    publicDisclosureAsap: p.severity.publicDisclosure.allTimelinesAsap,
    publicDisclosureAsapFromCvss: p.severity.publicDisclosure.minimumCvss,
    retrospective: p.fix.retrospective.enabled,
    retrospectiveAfterReleaseDays: p.fix.retrospective.afterRelease && [
      p.fix.retrospective.afterRelease.minDays,
      p.fix.retrospective.afterRelease.maxDays,
    ],
  };
}

const contourLike: ReturnType<typeof section10> = {
  firstResponseBusinessDays: 3,
  fixLead: 'security-team',
  fixTeamOrganisedHours: null,
  fixDevelopedDays: null,
  usersToldOfFixDays: null,
  releaseDays: null,
  backportToAllSupported: true,
  criticalTargetBusinessDays: 14,
  disclosureNegotiated: true,
  distributorsList: true,
  lowSeveritySlowDown: null,
  publicDisclosureAsap: true,
  publicDisclosureAsapFromCvss: null,
  retrospective: true,
  retrospectiveAfterReleaseDays: null,
};

const EXPECTED: Record<(typeof PRESET_NAMES)[number], ReturnType<typeof section10>> = {
  contour: contourLike,
  sesame: contourLike,
  emissary: {
    firstResponseBusinessDays: null,
    fixLead: 'round-robin',
    fixTeamOrganisedHours: 24,
    fixDevelopedDays: [1, 7],
    usersToldOfFixDays: [1, 7],
    releaseDays: [1, 21],
    backportToAllSupported: true,
    criticalTargetBusinessDays: null,
    disclosureNegotiated: false,
    distributorsList: false,
    lowSeveritySlowDown: { below: 4, approximate: false, orLowAssessedRisk: false },
    publicDisclosureAsap: true,
    publicDisclosureAsapFromCvss: 4,
    retrospective: true,
    retrospectiveAfterReleaseDays: [1, 3],
  },
  k8spolicy: {
    firstResponseBusinessDays: null,
    fixLead: 'maintainer',
    fixTeamOrganisedHours: null,
    fixDevelopedDays: [1, 14],
    usersToldOfFixDays: null,
    releaseDays: [1, 21],
    backportToAllSupported: false,
    criticalTargetBusinessDays: null,
    disclosureNegotiated: false,
    distributorsList: false,
    lowSeveritySlowDown: { below: 4, approximate: true, orLowAssessedRisk: true },
    publicDisclosureAsap: true,
    publicDisclosureAsapFromCvss: null,
    retrospective: false,
    retrospectiveAfterReleaseDays: null,
  },
};

describe('presets against PROCESS.md §10', () => {
  it.each(PRESET_NAMES)('%s parses and matches its row of §10', (name) => {
    expect(section10(getPresetPolicy(name))).toEqual(EXPECTED[name]);
  });

  it.each(PRESET_NAMES)('%s keeps its comments and its header', (name) => {
    const yaml = getPresetYaml(name);
    expect(yaml).toMatch(/^# /);
    expect(yaml).toContain('apiVersion: vigil.dev/v1\nkind: SecurityPolicy\n');
  });
});

const CRITERIA = (project: string) => [
  `Be an active distributor of ${project}.`,
  'Have a user base that is not limited to your own organization.',
  'Have a publicly verifiable track record up to the present day of fixing security issues.',
  'Not be a downstream or rebuild of another distributor.',
  `Be a participant and active contributor in the ${project} community.`,
  'Accept the Embargo Policy that is outlined below.',
  'Have someone who is already on the list vouch for the person requesting membership on behalf of your distribution.',
];

describe.each([
  [
    'contour',
    'Contour',
    'cncf-contour-maintainers@lists.cncf.io',
    'cncf-contour-distributors-announce@lists.cncf.io',
  ],
  [
    'sesame',
    'Sesame',
    'cncf-Sesame-maintainers@lists.cncf.io',
    'cncf-Sesame-distributors-announce@lists.cncf.io',
  ],
])('%s preset, from its Security Report Process', (name, project, teamEmail, listEmail) => {
  const p = getPresetPolicy(name);

  it('uses the seed addresses and names', () => {
    expect(p.project.name).toBe(project);
    expect(p.contacts.securityTeam.email).toBe(teamEmail);
    expect(p.contacts.securityTeam.name).toBe(`${project} Security Team`);
    expect(p.disclosure.distributorsList.email).toBe(listEmail);
  });

  it('has the seven membership criteria and the embargo policy', () => {
    const list = p.disclosure.distributorsList;
    expect(list.membershipCriteria).toEqual(CRITERIA(project));
    expect(list.embargoPolicy).toContain(
      `The information that members receive on the ${project} Distributors mailing list must not be made public`,
    );
    expect(list.embargoPolicy).toContain('these team members must agree to the same terms');
    expect(list.embargoPolicy).toContain('of exactly what information was leaked and to whom');
    expect(list.embargoPolicy).toContain('you will be permanently removed from the list');
    expect(list.noticeOmitsCveId).toBe(true);
  });

  it('negotiates the date with the reporter and the distributors, the team having the final say', () => {
    expect(p.disclosure.negotiationParties).toEqual(['security-team', 'reporter', 'distributors']);
    expect(p.disclosure.finalSay).toBe('security-team');
    expect(p.disclosure.delayReasons).toEqual([
      'not-understood',
      'not-well-tested',
      'distributor-coordination',
    ]);
    expect(p.disclosure.maxEmbargoDays).toBe(28);
  });

  it('asks for the proposed email content and accepts suspicions and dependency reports', () => {
    expect(p.intake.reportContents).toHaveLength(6);
    expect(p.intake.reportContents[0]).toBe('A descriptive subject line.');
    expect(p.intake.reportContents[1]).toMatch(/^Basic identity information/);
    expect(p.intake.acceptedReportKinds).toEqual([
      'vulnerability',
      'suspected-vulnerability',
      'dependency-vulnerability',
      'publicly-known-vulnerability',
    ]);
    expect(p.intake.dependencyExample).toBe(`${project} has a dependency on Envoy.`);
    expect(p.intake.redirectNonSecurityBugs).toBe(true);
    expect(p.project.issueTrackerUrl).toMatch(/\/issues\/new\/choose$/);
  });

  it('states it is not secure by default and declines lack-of-safe-defaults reports', () => {
    expect(p.triage.rejectionReasons).toContain('lack-of-safe-defaults');
    expect(p.triage.defaultsStatement).toContain(
      `do not currently consider the default settings for ${project}`,
    );
    expect(p.triage.firstResponse).toEqual({ businessDays: 3, includesInvestigationPlan: true });
    expect(p.triage.priorities).toEqual({
      highest: ['confidentiality', 'privilege-escalation', 'integrity'],
      alsoSerious: ['availability'],
    });
    expect(p.releases.fixCommitsMustNotRevealIssue).toBe(true);
  });
});

describe('contour preset, from its Security Response Checklist', () => {
  const p = getPresetPolicy('contour');
  it('describes the distributors notice: no CVE ID, buy-in on the date, the embargo note, #security', () => {
    const list = p.disclosure.distributorsList;
    expect(list.webInterfaceUrl).toBe('https://lists.cncf.io/g/cncf-contour-distributors-announce/');
    expect(list.noticeIncludes).toEqual(
      expect.arrayContaining([
        'Known attack vectors',
        'A request for buy-in from the distributors on the release date, or at least for objections',
        'The Embargo Policy, at the bottom',
        'The #security tag',
      ]),
    );
  });
});

describe('emissary preset', () => {
  const p = getPresetPolicy('emissary');
  it('uses secalert, Slack, the DoS activation rule and no distributors list', () => {
    expect(p.contacts.securityTeam).toEqual({
      name: 'Emissary Security Team (EMST)',
      email: 'secalert@datawire.io',
      members: 'all Emissary maintainers',
    });
    expect(p.contacts.publicChannels.map((c) => c.url)).toEqual([
      'https://a8r.io/slack',
      'https://a8r.io/slack',
    ]);
    expect(p.triage.denialOfService).toEqual({
      scope: 'high-risk-only',
      activatesFor: ['query-of-death', 'asymmetric-resource-exhaustion'],
    });
    expect(p.triage.rejectionReasons).toEqual([
      'not-a-vulnerability',
      'only-unsupported-versions',
      'ordinary-resource-use',
    ]);
    expect(p.disclosure.distributorsList).toMatchObject({
      enabled: false,
      email: null,
      membershipCriteria: [],
    });
    expect(p.severity.lowSeveritySlowDown).toEqual({
      thresholdApproximate: false,
      alsoWhenAssessedRiskLow: false,
      decidedBy: 'fix-team',
      discussedIn: 'the secalert mailing list (secalert@datawire.io)',
    });
    expect(p.severity.publicDisclosure.askReporterToHandlePrivately).toBe(true);
    expect(p.severity.cvssFinalCall).toBe('fix-lead');
    expect(p.fix.retrospective.blameless).toBe(true);
    expect(p.releases.securityFixesBlockReleases).toBe(true);
    expect(p.releases.fixCommitsAreNotRewritten).toBe(true);
    expect(p.disclosure.maxEmbargoDays).toBe(21);
  });
});

describe('k8spolicy preset', () => {
  const p = getPresetPolicy('k8spolicy');
  it('has one maintainer, the advisory for low-severity decisions, and the announcement template', () => {
    expect(p.severity.cvssFinalCall).toBe('maintainer');
    expect(p.disclosure.finalSay).toBe('maintainer');
    expect(p.severity.lowSeveritySlowDown?.discussedIn).toBe('the security advisory, never in public repos');
    expect(p.disclosure.distributorsList.enabled).toBe(false);
    const template = p.disclosure.announcement.template ?? '';
    for (const part of [
      'This addresses the following CVE(s):',
      '* CVE-YEAR-ABCDEF (CVSS score $CVSS): $CVESUMMARY',
      'Upgrading to $VERSION is encouraged to fix these issues.',
      '**Am I vulnerable?**',
      '**How do I mitigate the vulnerability?**',
      '**How do I upgrade?**',
      '**Vulnerability Details**',
    ]) {
      expect(template).toContain(part);
    }
    expect(p.contacts.securityTeam.email).toBeNull();
  });
});

describe('getPresetYaml', () => {
  it('rejects an unknown name, listing the valid ones', () => {
    expect(() => getPresetYaml('envoy')).toThrow(ValidationError);
    expect(() => getPresetYaml('envoy')).toThrow(
      /Unknown policy preset "envoy".*contour, sesame, emissary, k8spolicy/,
    );
  });

  it('does not resolve names from the prototype chain', () => {
    expect(() => getPresetYaml('constructor')).toThrow(ValidationError);
    expect(() => getPresetYaml('__proto__')).toThrow(ValidationError);
  });
});

describe('the report form’s subject hint', () => {
  it('is each seed project’s own, and bounded', () => {
    const hints = PRESET_NAMES.map((name) => getPresetPolicy(name).intake.subjectHint);
    for (const hint of hints) expect(hint).toMatch(/^One descriptive line, e\.g\. “.+”\.$/);
    expect(new Set(hints).size).toBe(PRESET_NAMES.length);
    const yaml = getPresetYaml('emissary');
    expect(parsePolicy(yaml.replace(/^ {2}subjectHint: .*$/m, '')).intake.subjectHint).toBeNull();
    expect(() =>
      parsePolicy(yaml.replace(/^ {2}subjectHint: .*$/m, `  subjectHint: ${'x'.repeat(201)}`)),
    ).toThrow(ValidationError);
  });
});
