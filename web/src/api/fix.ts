/**
 * The fix phase's API of a case (PROCESS.md §6, §8, §9), as the case page uses it: types read from
 * the API document, and one function per operation.
 */
import { answer, api } from './client.js';
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
    api.POST('/api/v1/cases/{id}/retrospective/feedback', { params: { path: { id: caseId } }, body: { body } }),
  );
}

/** Closes the retrospective, and with it the case. */
export function closeRetrospective(caseId: string): Promise<Answer<'closeRetrospective'>> {
  return answer(api.POST('/api/v1/cases/{id}/retrospective/close', { params: { path: { id: caseId } } }));
}
