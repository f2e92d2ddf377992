/**
 * Seeds a case's fix repository (PROCESS.md §6: "private security repos"): creates the bare
 * repository with Vigil's hooks, then, if the policy names an upstream, fetches its main branch and
 * the branch of every supported release line (missing ones are skipped). An upstream that cannot
 * be read leaves the repository `failed` with git's first words about it; the team retries with
 * `POST /api/v1/cases/:id/repository/seed`. Idempotent: only a repository still `seeding` changes.
 */
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { Db } from '../../../db/connection.js';
import { defineJobHandler } from '../../../jobs/job.runner.js';
import { projectContextById } from '../../cases/case-context.js';
import type { Policy } from '../../policy/policy.schema.js';
import { createGitStore, redactUrl } from './git-store.js';
import { firstLines, GitError } from './git-process.js';
import * as repo from './repository.repo.js';

const SYSTEM: Actor = { type: 'system', id: 'repository-seed' };
const MAX_ERROR = 500;

/** The branches a case's repository is seeded with: the main branch, then one per supported line. */
export function seedBranches(policy: Pick<Policy, 'releases'>): string[] {
  const { mainBranch, branchPattern, supportedLines } = policy.releases;
  const lines = supportedLines.map((line) => branchPattern.replaceAll('{line}', line));
  return [...new Set([mainBranch, ...lines])];
}

/** A failure as the repository shows it: what went wrong with the upstream, bounded, no local paths. */
export function seedErrorMessage(upstream: string, err: unknown, repositoriesDir: string): string {
  const said = err instanceof GitError ? (err.timedOut ? 'it took too long' : firstLines(err.stderr)) : '';
  const text = `The upstream repository ${redactUrl(upstream)} could not be read${said ? `: ${said}` : '.'}`;
  return text
    .split(repositoriesDir)
    .join('<repositories>')
    .replace(/\/\/[^/@\s]*@/g, '//')
    .slice(0, MAX_ERROR);
}

/** Why a local upstream is refused when the operator has not allowed them. */
export const LOCAL_UPSTREAM_REFUSED =
  'local upstream repositories are not allowed on this instance: set VIGIL_ALLOW_LOCAL_UPSTREAM=true';

/** True for an upstream on Vigil's own host: an absolute path or a file URL (anything not http(s)). */
export function isLocalUpstream(upstream: string): boolean {
  return !/^https?:\/\//i.test(upstream);
}

/**
 * Where `path` leads on this host: the real path of its longest existing prefix (symbolic links
 * and `..` resolved as the system does), then the rest.
 */
async function whereLeads(path: string): Promise<string> {
  const parts = path.split('/');
  for (let n = parts.length; n > 0; n--) {
    const prefix = parts.slice(0, n).join('/') || '/';
    const real = await realpath(prefix).catch(() => undefined);
    if (real !== undefined) return resolve(real, ...parts.slice(n));
  }
  return resolve(path);
}

const within = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Why Vigil will not seed from `upstream`, or undefined when it may: a local upstream (a path or
 * a file URL) only when the operator allows them, and never one inside Vigil's data directory
 * (the repositories directory's parent), where the other cases' fix repositories are. git also
 * reads `<path>.git` and `<path>/.git`: each must lead outside.
 */
export async function upstreamRefusal(
  upstream: string,
  opts: { allowLocalUpstream: boolean; repositoriesDir: string },
): Promise<string | undefined> {
  if (!isLocalUpstream(upstream)) return undefined;
  if (!opts.allowLocalUpstream) return LOCAL_UPSTREAM_REFUSED;
  let path: string;
  try {
    path = upstream.startsWith('/') ? upstream : fileURLToPath(upstream);
  } catch {
    return 'it is not a path on this host';
  }
  const dataDir = await whereLeads(dirname(resolve(opts.repositoriesDir)));
  for (const candidate of [path, `${path}.git`, join(path, '.git'), join(`${path}.git`, '.git')]) {
    if (within(dataDir, await whereLeads(candidate))) {
      return "it is inside Vigil's data directory, which no project's upstream may be";
    }
  }
  return undefined;
}

export function repositorySeedJobHandler(deps: {
  db: Db;
  repositoriesDir: string;
  /** Seeds from paths and file URLs on this host too (VIGIL_ALLOW_LOCAL_UPSTREAM=true), never the data directory. */
  allowLocalUpstream?: boolean | undefined;
}) {
  const { db } = deps;
  const k = db.kysely;
  const store = createGitStore(deps.repositoriesDir);
  return defineJobHandler(z.object({ caseId: z.uuid() }), async ({ caseId }, ctx) => {
    const row = await repo.findCaseRepository(k, caseId);
    if (!row || row.state !== 'seeding') return;
    const { policy } = await projectContextById(k, row.project_id);

    const record = (patch: Parameters<typeof repo.updateCaseRepository>[3], audit: SeedAudit) =>
      k.transaction().execute(async (trx) => {
        if (!(await repo.updateCaseRepository(trx, caseId, ['seeding'], patch))) return;
        await appendAuditEvent(trx, ctx.clock, {
          actor: SYSTEM,
          subject: { type: 'case', id: caseId },
          projectId: row.project_id,
          ...audit,
        });
      });
    const fail = (error: string) =>
      record({ state: 'failed', error }, { action: 'case.repository_seed_failed', data: { error } });

    const refused = row.upstream
      ? await upstreamRefusal(row.upstream, {
          allowLocalUpstream: deps.allowLocalUpstream === true,
          repositoriesDir: deps.repositoriesDir,
        })
      : undefined;
    if (row.upstream && refused) {
      return fail(
        `The upstream repository ${redactUrl(row.upstream)} could not be read: ${refused}.`.slice(
          0,
          MAX_ERROR,
        ),
      );
    }

    let refs: Record<string, string> = {};
    let reading = false;
    try {
      await store.init(caseId);
      if (row.upstream) {
        reading = true;
        const available = await store.remoteBranches(row.upstream);
        const wanted = seedBranches(policy).filter((b) => available.has(b));
        refs = await store.fetchBranches(caseId, row.upstream, wanted);
      }
    } catch (err) {
      if (reading && row.upstream && err instanceof GitError) {
        return fail(seedErrorMessage(row.upstream, err, deps.repositoriesDir));
      }
      // Vigil's own disk: worth a retry; after the last one the team sees it and may retry later.
      if (ctx.attempt < ctx.maxAttempts) throw err;
      return fail('Vigil could not create the repository on its disk; see the server log, then retry.');
    }
    await record(
      {
        state: 'ready',
        error: null,
        seed_refs_json: JSON.stringify(refs),
        seeded_at: ctx.clock.now().toISOString(),
      },
      { action: 'case.repository_seeded', data: { branches: Object.keys(refs) } },
    );
  });
}

type SeedAudit =
  | { action: 'case.repository_seeded'; data: { branches: string[] } }
  | { action: 'case.repository_seed_failed'; data: { error: string } };
