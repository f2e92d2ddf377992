/**
 * Early disclosure and leak tracing of a case (PROCESS.md §7), as the case page and the leak trace
 * page use them: types read from the API document, one function per operation.
 */
import { answer, api } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type EarlyDisclosure = Answer<'getEarlyDisclosure'>;
export type EarlyRecipient = EarlyDisclosure['recipients'][number];
export type EarlySend = EarlyDisclosure['sends'][number];
export type EarlyCopy = EarlySend['copies'][number];
export type SendNoticeInput = Body<'sendEarlyDisclosure'>;
export type SentNotice = Answer<'sendEarlyDisclosure'>;
export type LeakTrace = Answer<'traceLeak'>;
export type LeakCandidate = LeakTrace['candidates'][number];

/** The preflight (who would get what, key problems first) and the delivery log of every send. */
export function getEarlyDisclosure(caseId: string, signal?: Signal): Promise<EarlyDisclosure> {
  return answer(api.GET('/api/v1/cases/{id}/early-disclosure', { params: { path: { id: caseId } }, signal }));
}

/** Sends the distributors' notice of the advisory's current revision, one fingerprinted copy per person. */
export function sendEarlyDisclosure(caseId: string, input: SendNoticeInput): Promise<SentNotice> {
  return answer(
    api.POST('/api/v1/cases/{id}/early-disclosure', { params: { path: { id: caseId } }, body: input }),
  );
}

/** Names the copy a leaked text most likely came from, with the evidence (the text is not stored). */
export function traceLeak(caseId: string, text: string): Promise<LeakTrace> {
  return answer(
    api.POST('/api/v1/cases/{id}/leak-trace', { params: { path: { id: caseId } }, body: { text } }),
  );
}
