import { describe, expect, it } from 'vitest';
import { ACTIONS, ANONYMOUS, abilities, authorize, userPrincipal, type Action } from './authz.policy.js';
import { NotFoundError } from '../lib/errors.js';

const P = 'project-1';
const OTHER = 'project-2';
const admin = userPrincipal({ id: 'a', email: 'a@x', isAdmin: true }, []);
const team = userPrincipal({ id: 't', email: 't@x', isAdmin: false }, [
  { projectId: P, role: 'security-team' },
]);
const adminOnTeam = userPrincipal({ id: 'at', email: 'at@x', isAdmin: true }, [
  { projectId: P, role: 'security-team' },
]);
const stranger = userPrincipal({ id: 's', email: 's@x', isAdmin: false }, [
  { projectId: OTHER, role: 'security-team' },
]);

// The whole ability map per role, on project P: a change to the policy table must change this test.
const expected: Record<string, Record<Action, boolean>> = {
  anonymous: Object.fromEntries(ACTIONS.map((a) => [a, false])) as Record<Action, boolean>,
  admin: {
    'instance.users.manage': true,
    'instance.projects.create': true,
    'self.manage': true,
    'policy.preview': true,
    'cwe.read': true,
    'project.read': true,
    'project.update': true,
    'project.policy.update': true,
    'project.members.manage': true,
    'project.members.request': true,
    'project.members.approve': false,
    'project.notes.read': false,
    'project.notes.update': false,
    'project.audit.read': true,
    'project.keys.manage': true,
    'project.metrics.read': true,
    'case.read': false,
    'case.access-log.read': false,
    'case.triage': false,
    'case.message': false,
    'advisory.read': false,
    'advisory.edit': false,
    'advisory.import': false,
    'advisory.templates.edit': false,
    'case.workspace.read': false,
    'case.fix.manage': false,
    'case.members.manage': false,
    'case.repository.read': false,
    'case.repository.push': false,
    'case.retrospective.read': false,
    'case.retrospective.feedback': false,
    'case.retrospective.manage': false,
    'instance.runners.manage': true,
    'ci.run.work': false,
    'distributors.read': false,
    'distributors.manage': false,
    'distributors.vouch': true,
    'distributors.leak.report': true,
    'case.early-disclosure.send': false,
    'case.early-disclosure.read': false,
    'case.leak.trace': false,
    'case.portal.read': false,
    'case.portal.respond': false,
    'case.disclosure-date.read': false,
    'case.disclosure-date.propose': false,
    'case.disclosure-date.respond': false,
    'case.disclosure-date.decide': false,
    'case.publication.read': false,
    'case.publication.manage': false,
    'project.webhooks.manage': false,
    'instance.mail-queue.read': true,
    'instance.mail-status.read': true,
  },
  team: {
    'instance.users.manage': false,
    'instance.projects.create': false,
    'self.manage': true,
    'policy.preview': true,
    'cwe.read': true,
    'project.read': true,
    'project.update': false,
    'project.policy.update': true,
    'project.members.manage': false,
    'project.members.request': true,
    'project.members.approve': true,
    'project.notes.read': true,
    'project.notes.update': true,
    'project.audit.read': true,
    'project.keys.manage': true,
    'project.metrics.read': true,
    'case.read': true,
    'case.access-log.read': true,
    'case.triage': true,
    'case.message': true,
    'advisory.read': true,
    'advisory.edit': true,
    'advisory.import': true,
    'advisory.templates.edit': true,
    'case.workspace.read': true,
    'case.fix.manage': true,
    'case.members.manage': true,
    'case.repository.read': true,
    'case.repository.push': true,
    'case.retrospective.read': true,
    'case.retrospective.feedback': true,
    'case.retrospective.manage': true,
    'instance.runners.manage': false,
    'ci.run.work': false,
    'distributors.read': true,
    'distributors.manage': true,
    'distributors.vouch': true,
    'distributors.leak.report': true,
    'case.early-disclosure.send': true,
    'case.early-disclosure.read': true,
    'case.leak.trace': true,
    'case.portal.read': false,
    'case.portal.respond': false,
    'case.disclosure-date.read': true,
    'case.disclosure-date.propose': true,
    'case.disclosure-date.respond': false,
    'case.disclosure-date.decide': true,
    'case.publication.read': true,
    'case.publication.manage': true,
    'project.webhooks.manage': true,
    'instance.mail-queue.read': false,
    'instance.mail-status.read': true,
  },
  // Everything but the runner's own work and what only a case's distributor or reporter does.
  adminOnTeam: Object.fromEntries(
    ACTIONS.map((a) => [
      a,
      !['ci.run.work', 'case.portal.read', 'case.portal.respond', 'case.disclosure-date.respond'].includes(a),
    ]),
  ) as Record<Action, boolean>,
  stranger: {
    'instance.users.manage': false,
    'instance.projects.create': false,
    'self.manage': true,
    'policy.preview': true,
    'cwe.read': true,
    'project.read': false,
    'project.update': false,
    'project.policy.update': false,
    'project.members.manage': false,
    'project.members.request': false,
    'project.members.approve': false,
    'project.notes.read': false,
    'project.notes.update': false,
    'project.audit.read': false,
    'project.keys.manage': false,
    'project.metrics.read': false,
    'case.read': false,
    'case.access-log.read': false,
    'case.triage': false,
    'case.message': false,
    'advisory.read': false,
    'advisory.edit': false,
    'advisory.import': false,
    'advisory.templates.edit': false,
    'case.workspace.read': false,
    'case.fix.manage': false,
    'case.members.manage': false,
    'case.repository.read': false,
    'case.repository.push': false,
    'case.retrospective.read': false,
    'case.retrospective.feedback': false,
    'case.retrospective.manage': false,
    'instance.runners.manage': false,
    'ci.run.work': false,
    'distributors.read': false,
    'distributors.manage': false,
    'distributors.vouch': true,
    'distributors.leak.report': true,
    'case.early-disclosure.send': false,
    'case.early-disclosure.read': false,
    'case.leak.trace': false,
    'case.portal.read': false,
    'case.portal.respond': false,
    'case.disclosure-date.read': false,
    'case.disclosure-date.propose': false,
    'case.disclosure-date.respond': false,
    'case.disclosure-date.decide': false,
    'case.publication.read': false,
    'case.publication.manage': false,
    'project.webhooks.manage': false,
    'instance.mail-queue.read': false,
    'instance.mail-status.read': false,
  },
};

describe('per-case roles', () => {
  const C = 'case-1';
  const engineer = userPrincipal(
    { id: 'e', email: 'e@x', isAdmin: false },
    [],
    [{ caseId: C, role: 'fix-team' }],
  );
  const reporter = userPrincipal(
    { id: 'r', email: 'r@x', isAdmin: false },
    [],
    [{ caseId: C, role: 'reporter' }],
  );
  const former = userPrincipal(
    { id: 'f', email: 'f@x', isAdmin: false },
    [],
    [{ caseId: C, role: 'former-member' }],
  );
  const allowed = (p: Parameters<typeof abilities>[0], caseId: string) =>
    ACTIONS.filter((a) => abilities(p, [a], { projectId: P, caseId })[a]).sort();
  const open = [
    'cwe.read',
    'distributors.leak.report',
    'distributors.vouch',
    'policy.preview',
    'self.manage',
  ];

  it('lets a Fix Team engineer work on their case and nothing else of the project', () => {
    expect(allowed(engineer, C)).toEqual(
      [
        ...open,
        'advisory.edit',
        'advisory.read',
        'case.disclosure-date.read',
        'case.repository.push',
        'case.repository.read',
        'case.retrospective.feedback',
        'case.retrospective.read',
        'case.workspace.read',
      ].sort(),
    );
    expect(allowed(engineer, 'case-2')).toEqual(open);
  });

  it('lets an invited reporter read the draft and the fix, and push nothing', () => {
    expect(allowed(reporter, C)).toEqual(
      [
        ...open,
        'advisory.read',
        'case.disclosure-date.read',
        'case.disclosure-date.respond',
        'case.repository.read',
        'case.retrospective.feedback',
        'case.retrospective.read',
        'case.workspace.read',
      ].sort(),
    );
  });

  it('leaves a member whose access ended only the retrospective', () => {
    expect(allowed(former, C)).toEqual(
      [...open, 'case.retrospective.feedback', 'case.retrospective.read'].sort(),
    );
  });

  it('lets a distributor with a shared case see its portal view and answer on the date, nothing else', () => {
    const distributor = userPrincipal(
      { id: 'd', email: 'd@x', isAdmin: false },
      [],
      [{ caseId: C, role: 'distributor' }],
    );
    expect(allowed(distributor, C)).toEqual(
      [
        ...open,
        'case.disclosure-date.read',
        'case.disclosure-date.respond',
        'case.portal.read',
        'case.portal.respond',
      ].sort(),
    );
    expect(allowed(distributor, 'case-2')).toEqual(open);
  });

  it('lets a runner do its work and nothing else', () => {
    const runner = { kind: 'runner' as const, runnerId: 'r1', name: 'ci' };
    expect(allowed(runner, C)).toEqual(['ci.run.work']);
  });
});

describe('authorization policy table', () => {
  const principals = { anonymous: ANONYMOUS, admin, team, adminOnTeam, stranger };
  for (const [name, principal] of Object.entries(principals)) {
    it(`gives ${name} exactly the expected abilities`, () => {
      expect(abilities(principal, ACTIONS, { projectId: P })).toEqual(expected[name]);
    });
  }

  it('answers a denial with 404, naming the resource', () => {
    expect(() => authorize(stranger, 'project.read', { projectId: P, label: "Project 'p'" })).toThrow(
      NotFoundError,
    );
    expect(() => authorize(stranger, 'project.read', { projectId: P, label: "Project 'p'" })).toThrow(
      "Project 'p' was not found.",
    );
  });

  it('lets the operator do what an admin may, and export advisories', () => {
    const operator = { kind: 'operator' as const, name: 'root' };
    expect(
      abilities(
        operator,
        [
          'advisory.read',
          'advisory.edit',
          'advisory.import',
          'advisory.templates.edit',
          'case.read',
          'case.repository.read',
          'case.repository.push',
          'instance.users.manage',
        ],
        {
          projectId: P,
        },
      ),
    ).toEqual({
      'advisory.read': true,
      'advisory.edit': false,
      'advisory.import': true,
      'advisory.templates.edit': false,
      'case.read': false,
      'case.repository.read': false,
      // The words a case's commits may not carry, for `vigil check-commits` at the server's shell.
      'case.repository.push': true,
      'instance.users.manage': true,
    });
  });

  it('ignores roles it does not know', () => {
    const odd = userPrincipal({ id: 'o', email: 'o@x', isAdmin: false }, [{ projectId: P, role: 'owner' }]);
    expect(abilities(odd, ['project.read'], { projectId: P })).toEqual({ 'project.read': false });
  });
});
