/**
 * The embargo's API as the pages use it: the distributors' portal (a person's shared cases,
 * acknowledgement, feedback; the team's access log on the case) and the disclosure date (read,
 * propose, answer, decide; the reporter's answer through their link). Types are read from the API
 * document, one function per operation.
 */
import { answer, api, publicApi } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type PortalCaseList = Answer<'listPortalCases'>;
export type PortalCaseSummary = PortalCaseList['cases'][number];
export type PortalCase = Answer<'getPortalCase'>;
export type PortalAdvisory = NonNullable<PortalCase['advisory']>;
export type PortalPatch = PortalCase['patches'][number];
export type PortalLog = Answer<'getPortalLog'>;

export type DisclosureDate = Answer<'getDisclosureDate'>;
export type DateProposal = DisclosureDate['proposals'][number];
export type DateResponse = DateProposal['responses'][number];
export type DateDecision = NonNullable<DisclosureDate['decision']>;
export type DateFinding = DateProposal['findings'][number];
export type DateAction = Body<'actOnDisclosureDate'>;
export type DateAnswer = Body<'answerReporterDisclosureDate'>;

/** The cases shared with one's organisations while embargoed. */
export function listPortalCases(signal?: Signal): Promise<PortalCaseList> {
  return answer(api.GET('/api/v1/portal/cases', { signal }));
}

/** One shared case, with the embargo end said in `timeZone` (the browser's) as well as UTC. */
export function getPortalCase(id: string, timeZone: string, signal?: Signal): Promise<PortalCase> {
  return answer(
    api.GET('/api/v1/portal/cases/{id}', { params: { path: { id }, query: { timeZone } }, signal }),
  );
}

/** Acknowledges the shared case. */
export function acknowledgePortalCase(id: string): Promise<Answer<'acknowledgePortalCase'>> {
  return answer(api.POST('/api/v1/portal/cases/{id}/acknowledge', { params: { path: { id } } }));
}

/** One's organisation's feedback to the security team. */
export function addPortalFeedback(id: string, body: string): Promise<Answer<'addPortalFeedback'>> {
  return answer(api.POST('/api/v1/portal/cases/{id}/feedback', { params: { path: { id } }, body: { body } }));
}

/** What the distributors opened and did on the case (the team's); `cursor` for older entries. */
export function getPortalLog(caseId: string, cursor?: string, signal?: Signal): Promise<PortalLog> {
  return answer(
    api.GET('/api/v1/cases/{id}/portal-log', {
      params: { path: { id: caseId }, query: { limit: 200, ...(cursor !== undefined && { cursor }) } },
      signal,
    }),
  );
}

/** The disclosure date's negotiation, as the caller may see it. */
export function getDisclosureDate(caseId: string, signal?: Signal): Promise<DisclosureDate> {
  return answer(api.GET('/api/v1/cases/{id}/disclosure-date', { params: { path: { id: caseId } }, signal }));
}

/** Proposes, answers or decides; answers the negotiation as it is now. */
export function actOnDisclosureDate(caseId: string, body: DateAction): Promise<DisclosureDate> {
  return answer(api.POST('/api/v1/cases/{id}/disclosure-date', { params: { path: { id: caseId } }, body }));
}

/** The disclosure date as the reporter sees it, through their private link. */
export function getReporterDisclosureDate(token: string, signal?: Signal): Promise<DisclosureDate> {
  return answer(
    publicApi.GET('/api/v1/reporter/cases/{token}/disclosure-date', { params: { path: { token } }, signal }),
  );
}

/** The reporter answers the open proposal through their private link. */
export function answerReporterDisclosureDate(token: string, body: DateAnswer): Promise<DisclosureDate> {
  return answer(
    publicApi.POST('/api/v1/reporter/cases/{token}/disclosure-date', { params: { path: { token } }, body }),
  );
}
