/**
 * The fix phase's API of a case (PROCESS.md §6, §8, §9), as the case page uses it: types read from
 * the API document, and one function per operation.
 */
import { answer, api, done, linkTo } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type Retrospective = Answer<'getRetrospective'>;
export type RetrospectiveSection = Retrospective['sections'][number];
export type RetrospectivePhase = Retrospective['phases'][number];
export type SectionsInput = Body<'updateRetrospective'>['sections'];

/** The case's retrospective: `state: none` before publication, or when the policy holds none. */
export function getRetrospective(caseId: string, signal?: Signal): Promise<Retrospective> {
  return answer(api.GET('/api/v1/cases/{id}/retrospective', { params: { path: { id: caseId } }, signal }));
}

/** Writes the sections named (plain text); the others are kept. */
export function updateRetrospective(caseId: string, sections: SectionsInput): Promise<Retrospective> {
  return answer(
    api.PUT('/api/v1/cases/{id}/retrospective', { params: { path: { id: caseId } }, body: { sections } }),
  );
}

/** Adds one's feedback to the retrospective (plain text). */
export function addRetrospectiveFeedback(caseId: string, body: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/cases/{id}/retrospective/feedback', {
      params: { path: { id: caseId } },
      body: { body },
    }),
  );
}

/** Closes the retrospective, and with it the case. */
export function closeRetrospective(caseId: string): Promise<Answer<'closeRetrospective'>> {
  return answer(api.POST('/api/v1/cases/{id}/retrospective/close', { params: { path: { id: caseId } } }));
}

// ---- Fix Lead and the case's members (PROCESS.md §6) ---------------------------------------------

export type CaseMember = Answer<'listCaseMembers'>['members'][number];
export type InvitedMember = Answer<'inviteCaseMember'>;
export type InvitedRole = Body<'inviteCaseMember'>['role'];
export type Invitation = Answer<'listMyInvitations'>['invitations'][number];

/** Makes a member of the project's security team the Fix Lead, for a reason the audit log keeps. */
export function setFixLead(
  caseId: string,
  userId: string,
  reason: string,
): Promise<Answer<'setCaseFixLead'>> {
  return answer(
    api.PUT('/api/v1/cases/{id}/fix-lead', { params: { path: { id: caseId } }, body: { userId, reason } }),
  );
}

/** Everyone invited to the case, with where their invitation stands. */
export function listCaseMembers(caseId: string, signal?: Signal): Promise<{ members: CaseMember[] }> {
  return answer(api.GET('/api/v1/cases/{id}/members', { params: { path: { id: caseId } }, signal }));
}

/** Invites someone to this one case by email; the answer holds the link to hand on. */
export function inviteCaseMember(caseId: string, email: string, role: InvitedRole): Promise<InvitedMember> {
  return answer(
    api.POST('/api/v1/cases/{id}/members', { params: { path: { id: caseId } }, body: { email, role } }),
  );
}

/** Ends a member's access to the case (or withdraws the invitation), for a reason. */
export function removeCaseMember(caseId: string, memberId: string, reason: string): Promise<void> {
  return done(
    api.DELETE('/api/v1/cases/{id}/members/{memberId}', {
      params: { path: { id: caseId, memberId } },
      body: { reason },
    }),
  );
}

/** The signed-in user's pending invitations to cases, each with the embargo terms to accept. */
export function listMyInvitations(signal?: Signal): Promise<{ invitations: Invitation[] }> {
  return answer(api.GET('/api/v1/me/invitations', { signal }));
}

/** Accepts the embargo terms of an invitation, named by their SHA-256 (409 if they changed). */
export function acceptInvitation(memberId: string, termsHash: string): Promise<Answer<'acceptInvitation'>> {
  return answer(
    api.POST('/api/v1/me/invitations/{memberId}/accept', {
      params: { path: { memberId } },
      body: { termsHash },
    }),
  );
}

// ---- CI on the fix (PROCESS.md §6) ---------------------------------------------------------------

export type CaseCi = Answer<'getCaseCi'>;
export type CiRun = NonNullable<CaseCi['branches'][number]['latest']>;

/** The case's test command and, per fix branch, its latest run and recent history. */
export function getCaseCi(caseId: string, signal?: Signal): Promise<CaseCi> {
  return answer(api.GET('/api/v1/cases/{id}/ci', { params: { path: { id: caseId } }, signal }));
}

/** One run's log (null until the runner reports). */
export function getCiRunLog(caseId: string, runId: string, signal?: Signal): Promise<{ log: string | null }> {
  return answer(
    api.GET('/api/v1/cases/{id}/ci/runs/{runId}/log', { params: { path: { id: caseId, runId } }, signal }),
  );
}

// ---- The private fix repository (PROCESS.md §5, §6) ----------------------------------------------

export type CaseRepository = Answer<'getCaseRepository'>;
export type RepositoryBranch = CaseRepository['branches'][number];

/** The case's private fix repository: state, clone URL, branches and recent commits. */
export function getCaseRepository(caseId: string, signal?: Signal): Promise<CaseRepository> {
  return answer(api.GET('/api/v1/cases/{id}/repository', { params: { path: { id: caseId } }, signal }));
}

/** Seeds the repository again from the policy's upstream (after a failure); it runs as a job. */
export function seedCaseRepository(caseId: string): Promise<{ state: CaseRepository['state'] }> {
  return answer(api.POST('/api/v1/cases/{id}/repository/seed', { params: { path: { id: caseId } } }));
}

/** The team's own words that no commit, branch or tag of the case may carry. */
export function getWatchwords(caseId: string, signal?: Signal): Promise<{ words: string[] }> {
  return answer(api.GET('/api/v1/cases/{id}/watchwords', { params: { path: { id: caseId } }, signal }));
}

/** Replaces the team's own words. */
export function setWatchwords(caseId: string, words: string[]): Promise<{ words: string[] }> {
  return answer(
    api.PUT('/api/v1/cases/{id}/watchwords', { params: { path: { id: caseId } }, body: { words } }),
  );
}

/** Where a branch's patch series downloads (an mbox for `git am`; a plain link, always a download). */
export function patchesUrl(caseId: string, branch: string): string {
  return linkTo('/api/v1/cases/{id}/repository/patches/{branch}', { id: caseId, branch });
}

// ---- The release matrix (PROCESS.md §5, §8) ------------------------------------------------------

export type ReleaseBoard = Answer<'getCaseReleases'>;
export type ReleaseRow = ReleaseBoard['rows'][number];
export type RecordReleaseInput = Body<'recordCaseRelease'>;

/** What must ship: a row per required release, its CI and whether it blocks publication. */
export function getCaseReleases(caseId: string, signal?: Signal): Promise<ReleaseBoard> {
  return answer(api.GET('/api/v1/cases/{id}/releases', { params: { path: { id: caseId } }, signal }));
}

/** Records a release of one line (version, planned date, state, link). */
export function recordRelease(
  caseId: string,
  line: string,
  input: RecordReleaseInput,
): Promise<ReleaseBoard> {
  return answer(
    api.PUT('/api/v1/cases/{id}/releases/{line}', { params: { path: { id: caseId, line } }, body: input }),
  );
}

/** Lets a line go on without a green CI run, for a reason (the Fix Lead's call). */
export function overrideReleaseLine(caseId: string, line: string, reason: string): Promise<ReleaseBoard> {
  return answer(
    api.POST('/api/v1/cases/{id}/releases/{line}/override', {
      params: { path: { id: caseId, line } },
      body: { reason },
    }),
  );
}

// ---- The phase clocks (PROCESS.md §6, §8, §9) ----------------------------------------------------

export type CasePhases = Answer<'getCasePhases'>;
export type PhaseView = CasePhases['phases'][number];
export type ProjectTimeline = Answer<'getProjectTimeline'>;
export type UpstreamInput = Body<'setCaseUpstream'>;

/** The case's phases, each with its due and done instants and status. */
export function getCasePhases(caseId: string, signal?: Signal): Promise<CasePhases> {
  return answer(api.GET('/api/v1/cases/{id}/phases', { params: { path: { id: caseId } }, signal }));
}

/** The open cases of a project with their phases, the next due first. */
export function getProjectTimeline(slug: string, signal?: Signal): Promise<ProjectTimeline> {
  return answer(api.GET('/api/v1/projects/{slug}/phases', { params: { path: { slug } }, signal }));
}

/** Records that the Fix Team is organised. */
export function markTeamOrganised(caseId: string): Promise<CasePhases> {
  return answer(api.POST('/api/v1/cases/{id}/team-organised', { params: { path: { id: caseId } } }));
}

/** Records that users were told a fix is coming. */
export function markUsersTold(caseId: string): Promise<CasePhases> {
  return answer(api.POST('/api/v1/cases/{id}/users-told', { params: { path: { id: caseId } } }));
}

/** Slows the case down, below the policy's low-severity threshold, for a recorded reason. */
export function slowDownCase(caseId: string, reason: string): Promise<CasePhases> {
  return answer(
    api.PUT('/api/v1/cases/{id}/slowdown', { params: { path: { id: caseId } }, body: { reason } }),
  );
}

/** Names the upstream project the case depends on, and when it discloses. */
export function setCaseUpstream(caseId: string, input: UpstreamInput): Promise<CasePhases> {
  return answer(api.PUT('/api/v1/cases/{id}/upstream', { params: { path: { id: caseId } }, body: input }));
}
