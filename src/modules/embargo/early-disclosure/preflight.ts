/**
 * The preflight of an early disclosure: for a case, its project's list as a send would treat each
 * person (encrypted to a usable key, in clear without one, refused for a key that fails, withheld
 * until they accept the current embargo text), whether they hold the advisory's current revision
 * already, and why nothing can be sent (phase, policy, draft, nobody left). Reads only.
 */
import type { DbReader } from '../../../db/connection.js';
import { AppError } from '../../../lib/errors.js';
import * as advisoryRepo from '../../advisory/advisory.repo.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import { termsHash } from '../../fix/team/embargo-terms.js';
import { listRecipients, type Recipient } from '../distributors/distributors.repo.js';
import * as repo from './early-disclosure.repo.js';
import { checkRecipientKey, type KeyCheck } from './recipient-keys.js';

export type Delivery = 'encrypted' | 'plain' | 'blocked' | 'withheld';

/** A person of the list as a send would treat them, with their usable key. */
export interface Assessed {
  person: Recipient;
  key: Awaited<ReturnType<typeof checkRecipientKey>>;
  embargoAccepted: boolean;
  delivery: Delivery;
  reason: string | null;
  hasCurrentRevision: boolean;
}

export interface Preflight {
  project: ProjectContext;
  advisory: advisoryRepo.AdvisoryRow | undefined;
  people: Assessed[];
  blockers: string[];
}

function deliveryOf(accepted: boolean, key: KeyCheck): { delivery: Delivery; reason: string | null } {
  if (!accepted) {
    return {
      delivery: 'withheld',
      reason: 'Has not accepted the current embargo text: nothing embargoed reaches them before.',
    };
  }
  if (key.state === 'ok') return { delivery: 'encrypted', reason: null };
  if (key.state === 'none') return { delivery: 'plain', reason: null };
  return { delivery: 'blocked', reason: `${key.problem ?? 'The key fails.'} Never sent in clear.` };
}

function blockersOf(
  c: CaseRow,
  project: ProjectContext,
  advisory: advisoryRepo.AdvisoryRow | undefined,
  people: Assessed[],
): string[] {
  const list = project.policy.disclosure.distributorsList;
  const blockers: string[] = [];
  if (!FIX_OPEN_STATES.includes(c.state as CaseState)) {
    blockers.push(
      `Case ${c.human_id} is ${c.state}: the distributors' notice is sent during the fix phase (accepted to disclosure-scheduled).`,
    );
  }
  if (!list.enabled) {
    blockers.push(
      `The policy of ${project.name} has no distributors list: it sends no distributors' notice.`,
    );
    return blockers;
  }
  if (!advisory)
    blockers.push(`Case ${c.human_id} has no advisory yet: the notice is rendered from its draft.`);
  else if (advisory.state !== 'draft') {
    blockers.push(`Advisory ${advisory.advisory_id} is ${advisory.state}: the notice is sent from a draft.`);
  }
  if (people.length === 0) blockers.push(`Nobody is on the distributors list of ${project.name} yet.`);
  else if (
    !people.some((p) => (p.delivery === 'encrypted' || p.delivery === 'plain') && !p.hasCurrentRevision)
  ) {
    blockers.push(
      'Nobody on the list can be sent this revision: each has it already, has not accepted the embargo text, or has a key that fails.',
    );
  }
  return blockers;
}

/** The case's project, advisory and list as a send at `now` would treat them, and what blocks it. */
export async function preflight(db: DbReader, c: CaseRow, now: Date): Promise<Preflight> {
  const project = await projectContextById(db, c.project_id);
  const list = project.policy.disclosure.distributorsList;
  const advisory = await advisoryRepo.findAdvisoryByCase(db, c.id);
  // The version of the embargo text is the SHA-256 of its words (PROCESS.md §7).
  const embargoHash = list.enabled && list.embargoPolicy ? termsHash(list.embargoPolicy) : null;
  const people = list.enabled ? await listRecipients(db, c.project_id) : [];
  const served = new Set(advisory ? await repo.listServedPeople(db, c.id, advisory.current_revision) : []);
  const assessed: Assessed[] = [];
  for (const person of people) {
    const key = await checkRecipientKey(person.pgpPublicKey, now);
    const embargoAccepted =
      embargoHash !== null && person.embargoAcceptedAt !== null && person.embargoHash === embargoHash;
    assessed.push({
      person,
      key,
      embargoAccepted,
      ...deliveryOf(embargoAccepted, key),
      hasCurrentRevision: served.has(person.personId),
    });
  }
  return { project, advisory, people: assessed, blockers: blockersOf(c, project, advisory, assessed) };
}

/** Who a send leaves out, and why (ids and machine reasons: stored in clear with the send). */
export function leftOutOf(people: Assessed[], excluded: ReadonlySet<string>) {
  return people.flatMap((p) => {
    const id = p.person.personId;
    if (excluded.has(id)) {
      return [
        { personId: id, reason: p.delivery === 'blocked' ? `excluded-key-${p.key.state}` : 'excluded' },
      ];
    }
    if (p.delivery === 'withheld') return [{ personId: id, reason: 'embargo-not-accepted' }];
    if (p.hasCurrentRevision) return [{ personId: id, reason: 'has-this-revision' }];
    return [];
  });
}

/** Refuses (409, one issue per person) while a key fails for someone not excluded: never in clear to them. */
export function refuseFailingKeys(people: Assessed[], excluded: ReadonlySet<string>): void {
  const blocked = people.filter((p) => p.delivery === 'blocked' && !excluded.has(p.person.personId));
  if (blocked.length === 0) return;
  throw new AppError(
    'conflict',
    409,
    `${blocked.length === 1 ? 'One person has' : `${blocked.length} people have`} an OpenPGP key that fails, and the notice is never sent in clear to them: have them fix it, or exclude them from this send (exclude: [personId]).`,
    blocked.map((p) => ({
      path: 'exclude',
      message: `${p.person.name} (${p.person.orgName}, person ${p.person.personId}): ${p.key.problem ?? p.key.state}`,
    })),
  );
}
