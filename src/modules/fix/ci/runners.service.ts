/**
 * CI runners: registered by an admin or the operator (the token is shown once and stored only as
 * its hash and a short prefix, like an API token), listed, revoked, and resolved from a
 * `Bearer vgr_...` header to the runner principal, which may only work on runs (`ci.run.work`).
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { authorize, type Principal } from '../../../authz/authz.policy.js';
import { actorOf } from '../../../authz/access.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { NotFoundError } from '../../../lib/errors.js';
import { hashSecret, newSecret, newSortableId, secretPrefix } from '../../../lib/ids.js';
import { LAST_USE_WRITE_EVERY_MS } from '../../accounts/user-view.js';
import { findProjectBySlug } from '../../projects/projects.repo.js';
import * as repo from './ci.repo.js';
import { RUNNER_TOKEN_PATTERN, RUNNER_TOKEN_PREFIX } from './runner-token.js';

export interface RunnersDeps {
  db: Db;
  clock: Clock;
}

export type RunnersService = ReturnType<typeof createRunnersService>;

const LABEL = { label: 'Runners' };

/** What a runner looks like in lists: never its token, only the prefix. */
function toRunnerDto(r: repo.RunnerRow) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.token_prefix,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    projectId: r.project_id,
  };
}

/** Builds the runners service. */
export function createRunnersService(deps: RunnersDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const nowIso = () => clock.now().toISOString();

  return {
    /**
     * Registers a runner, for every project or only `project`'s (a slug: it then claims only that
     * project's runs); its token is in the answer and nowhere else, ever.
     */
    async registerRunner(principal: Principal, input: { name: string; project?: string | undefined }) {
      authorize(principal, 'instance.runners.manage', LABEL);
      const project = input.project === undefined ? undefined : await findProjectBySlug(k, input.project);
      if (input.project !== undefined && !project) throw new NotFoundError(`Project ${input.project}`);
      const projectId = project?.id ?? null;
      const token = newSecret(RUNNER_TOKEN_PREFIX);
      const id = newSortableId();
      const createdAt = nowIso();
      await k.transaction().execute(async (trx) => {
        await repo.insertRunner(trx, {
          id,
          name: input.name,
          token_hash: hashSecret(token),
          token_prefix: secretPrefix(token),
          created_at: createdAt,
          last_seen_at: null,
          revoked_at: null,
          project_id: projectId,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'runner.registered',
          subject: { type: 'runner', id },
          projectId,
          data: { runnerId: id, name: input.name, projectId },
        });
      });
      const slug = project?.slug ?? null;
      return { id, name: input.name, token, prefix: secretPrefix(token), createdAt, project: slug };
    },

    /** Every runner, revoked ones included. */
    async listRunners(principal: Principal) {
      authorize(principal, 'instance.runners.manage', LABEL);
      return (await repo.listRunners(k)).map(toRunnerDto);
    },

    /** Revokes a runner: its token stops working at once; revoking twice does nothing more. */
    async revokeRunner(principal: Principal, runnerId: string): Promise<void> {
      authorize(principal, 'instance.runners.manage', { label: `Runner ${runnerId}` });
      await k.transaction().execute(async (trx) => {
        const runner = await repo.findRunner(trx, runnerId);
        if (!runner) throw new NotFoundError(`Runner ${runnerId}`);
        if (runner.revoked_at) return;
        await repo.revokeRunner(trx, runnerId, nowIso());
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'runner.revoked',
          subject: { type: 'runner', id: runnerId },
          data: { runnerId },
        });
      });
    },

    /**
     * The runner principal of a bearer token; unknown and revoked tokens resolve to nothing.
     * The auth plugin calls it for `vgr_` tokens, and so may any route that accepts runners
     * (the fix repository's git route lets a runner holding a lease on one of the case's runs clone).
     */
    async resolveRunnerToken(token: string): Promise<Principal | undefined> {
      if (!RUNNER_TOKEN_PATTERN.test(token)) return undefined;
      const runner = await repo.findRunnerByTokenHash(k, hashSecret(token));
      if (!runner || runner.revoked_at) return undefined;
      const now = clock.now();
      if (
        !runner.last_seen_at ||
        Date.parse(runner.last_seen_at) + LAST_USE_WRITE_EVERY_MS <= now.getTime()
      ) {
        await repo.touchRunner(k, runner.id, now.toISOString());
      }
      return { kind: 'runner', runnerId: runner.id, name: runner.name };
    },
  };
}
