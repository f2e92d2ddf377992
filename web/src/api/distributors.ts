/**
 * The distributors list's API (PROCESS.md §7) as the pages use it: the public application, the
 * vouch requests, the team's side (applications, organisations, people, reviews, leaks and
 * incidents) and one's own memberships. Types read from the API document; one function per operation.
 */
import { answer, api, done, publicApi } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type ApplyInfo = Answer<'getDistributorsApplyInfo'>;
export type ApplicationInput = Body<'submitDistributorApplication'>;
export type SubmittedApplication = Answer<'submitDistributorApplication'>;
export type VouchSummary = Answer<'listMyVouches'>['vouches'][number];
export type VouchDetail = Answer<'getMyVouch'>;
export type Application = Answer<'listDistributorApplications'>['applications'][number];
export type ListOverview = Answer<'getDistributorsList'>;
export type DistributorOrg = ListOverview['orgs'][number];
export type DistributorPerson = DistributorOrg['people'][number];
export type OrgState = DistributorOrg['state'];
export type AddedPerson = Answer<'addDistributorPerson'>;
export type Membership = Answer<'listMyDistributorMemberships'>['memberships'][number];
export type Leaks = Answer<'listDistributorLeaks'>;
export type LeakReport = Leaks['reports'][number];
export type Incident = Leaks['incidents'][number];
export type LeakInput = Body<'reportDistributorLeak'>;
export type IncidentInput = Body<'recordDistributorIncident'>;
export type IncidentRecorded = Answer<'recordDistributorIncident'>;

const path = (slug: string) => ({ params: { path: { slug } } });

// ---- The public application ---------------------------------------------------------------------

/** What the application form shows: the list's name, criteria and embargo text (404 without a list). */
export function getApplyInfo(slug: string, signal?: Signal): Promise<ApplyInfo> {
  return answer(publicApi.GET('/api/v1/projects/{slug}/distributors/apply', { ...path(slug), signal }));
}

/** Sends an application (no account, no session). */
export function submitApplication(slug: string, body: ApplicationInput): Promise<SubmittedApplication> {
  return answer(publicApi.POST('/api/v1/projects/{slug}/distributors/applications', { ...path(slug), body }));
}

// ---- Vouching -------------------------------------------------------------------------------------

export function listMyVouches(signal?: Signal): Promise<Answer<'listMyVouches'>> {
  return answer(api.GET('/api/v1/me/vouches', { signal }));
}

export function getMyVouch(applicationId: string, signal?: Signal): Promise<VouchDetail> {
  return answer(
    api.GET('/api/v1/me/vouches/{applicationId}', { params: { path: { applicationId } }, signal }),
  );
}

/** Vouches for the application, or declines to, with an optional word to the team. */
export function answerVouch(
  applicationId: string,
  decision: 'vouch' | 'decline',
  note?: string,
): Promise<Answer<'answerMyVouch'>> {
  return answer(
    api.POST('/api/v1/me/vouches/{applicationId}', {
      params: { path: { applicationId } },
      body: { decision, ...(note ? { note } : {}) },
    }),
  );
}

// ---- The team's side ------------------------------------------------------------------------------

export function getList(slug: string, signal?: Signal): Promise<ListOverview> {
  return answer(api.GET('/api/v1/projects/{slug}/distributors', { ...path(slug), signal }));
}

export function listApplications(
  slug: string,
  signal?: Signal,
): Promise<Answer<'listDistributorApplications'>> {
  // The newest 500, as the list showed before it was paged.
  return answer(
    api.GET('/api/v1/projects/{slug}/distributors/applications', {
      params: { path: { slug }, query: { limit: 500 } },
      signal,
    }),
  );
}

export function approveApplication(
  slug: string,
  applicationId: string,
): Promise<Answer<'approveDistributorApplication'>> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/applications/{applicationId}/approve', {
      params: { path: { slug, applicationId } },
    }),
  );
}

export function refuseApplication(slug: string, applicationId: string, reason: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/applications/{applicationId}/refuse', {
      params: { path: { slug, applicationId } },
      body: { reason },
    }),
  );
}

export function createOrg(
  slug: string,
  name: string,
  contactAlias: string,
): Promise<Answer<'createDistributorOrg'>> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/orgs', { ...path(slug), body: { name, contactAlias } }),
  );
}

export function addPerson(
  slug: string,
  orgId: string,
  body: Body<'addDistributorPerson'>,
): Promise<AddedPerson> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/orgs/{orgId}/people', {
      params: { path: { slug, orgId } },
      body,
    }),
  );
}

export function removePerson(slug: string, orgId: string, personId: string): Promise<void> {
  return done(
    api.DELETE('/api/v1/projects/{slug}/distributors/orgs/{orgId}/people/{personId}', {
      params: { path: { slug, orgId, personId } },
    }),
  );
}

/** Sets a person's OpenPGP public key, or clears it with null. */
export function setPersonKey(
  slug: string,
  orgId: string,
  personId: string,
  pgpPublicKey: string | null,
): Promise<Answer<'setDistributorPersonKey'>> {
  return answer(
    api.PUT('/api/v1/projects/{slug}/distributors/orgs/{orgId}/people/{personId}/pgp-key', {
      params: { path: { slug, orgId, personId } },
      body: { pgpPublicKey },
    }),
  );
}

export function setOrgState(slug: string, orgId: string, state: OrgState, reason: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/orgs/{orgId}/state', {
      params: { path: { slug, orgId } },
      body: { state, reason },
    }),
  );
}

/** Removes the organisation per the policy's leak rule: the explicit confirmation is this call. */
export function removePerPolicy(slug: string, orgId: string, reason: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/orgs/{orgId}/removal-per-policy', {
      params: { path: { slug, orgId } },
      body: { confirm: true, reason },
    }),
  );
}

export function recordReview(
  slug: string,
  orgId: string,
  note: string,
): Promise<Answer<'recordDistributorReview'>> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/orgs/{orgId}/reviews', {
      params: { path: { slug, orgId } },
      body: note ? { note } : {},
    }),
  );
}

export function listLeaks(slug: string, signal?: Signal): Promise<Leaks> {
  // The newest 500 reports, as the list showed before it was paged.
  return answer(
    api.GET('/api/v1/projects/{slug}/distributors/leaks', {
      params: { path: { slug }, query: { limit: 500 } },
      signal,
    }),
  );
}

/** Reports a leak (a person of the list, or the team). */
export function reportLeak(slug: string, body: LeakInput): Promise<Answer<'reportDistributorLeak'>> {
  return answer(api.POST('/api/v1/projects/{slug}/distributors/leaks', { ...path(slug), body }));
}

export function recordIncident(slug: string, body: IncidentInput): Promise<IncidentRecorded> {
  return answer(api.POST('/api/v1/projects/{slug}/distributors/incidents', { ...path(slug), body }));
}

export function dismissLeak(slug: string, leakId: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/projects/{slug}/distributors/leaks/{leakId}/dismiss', {
      params: { path: { slug, leakId } },
    }),
  );
}

// ---- One's own memberships ------------------------------------------------------------------------

export function listMyMemberships(signal?: Signal): Promise<Answer<'listMyDistributorMemberships'>> {
  return answer(api.GET('/api/v1/me/distributors', { signal }));
}

/** Accepts the embargo text of that list, named by the hash it was shown with. */
export function acceptEmbargo(
  personId: string,
  embargoHash: string,
): Promise<Answer<'acceptDistributorsEmbargo'>> {
  return answer(
    api.POST('/api/v1/me/distributors/{personId}/accept', {
      params: { path: { personId } },
      body: { embargoHash },
    }),
  );
}
