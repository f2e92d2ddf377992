/**
 * The fix repositories on disk: one bare repository per case, `<dir>/<case uuid>.git`. The git
 * operations Vigil needs (create, seed from upstream, read branches and commits, a line's patch
 * series, freeze), each through git-process.ts (argument arrays, a sanitized environment, time and
 * output limits). Names given by people (branches, upstream URLs) are passed after
 * `--end-of-options` or as full ref names, never where git could take them for an option.
 */
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitError, runGit, UPSTREAM_PROTOCOLS } from './git-process.js';
import { POST_RECEIVE_HOOK, PRE_RECEIVE_HOOK } from './git-hooks.js';

/** A branch head as the repository page shows it. */
export interface BranchHead {
  name: string;
  sha: string;
  subject: string;
  author: string;
  committedAt: string;
}

/** A commit of the recent history, with the branches that contain it. */
export interface RecentCommit {
  sha: string;
  subject: string;
  author: string;
  committedAt: string;
  branches: string[];
}

export const MAX_BRANCHES = 200;
export const MAX_RECENT_COMMITS = 50;
/** History fetched from upstream per branch: enough to base a fix on, not the project's whole past. */
export const SEED_DEPTH = 200;
const SEED_TIMEOUT_MS = 10 * 60_000;
const PATCHES_MAX_BYTES = 20 * 1024 * 1024;

/** A branch name Vigil accepts from a caller (a route parameter, the policy's patterns). */
export const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9._/+-]{1,200}(?<![./])$/;

/** `url` without the user and password it may carry: what messages and the API show. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

export type GitStore = ReturnType<typeof createGitStore>;

/** The store of fix repositories under `dir`. */
export function createGitStore(dir: string) {
  const pathOf = (caseId: string): string => {
    if (!/^[0-9a-f-]{36}$/.test(caseId)) throw new Error(`not a case id: ${caseId}`);
    return join(dir, `${caseId}.git`);
  };
  const git = (
    caseId: string,
    args: readonly string[],
    opts: { maxBytes?: number; timeoutMs?: number } = {},
  ) => runGit(args, { gitDir: pathOf(caseId), ...opts });

  /** The repository's branch heads as `refs/heads/x` -> sha. */
  async function heads(caseId: string): Promise<Map<string, string>> {
    const out = await git(caseId, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']);
    const map = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split(' ');
      if (sha && ref) map.set(ref.slice('refs/heads/'.length), sha);
    }
    return map;
  }

  const store = {
    dir,
    pathOf,

    /** Each branch's head commit, as git has it now. */
    branchHeads: heads,

    /** True when the case's repository exists on disk. */
    async exists(caseId: string): Promise<boolean> {
      return access(join(pathOf(caseId), 'HEAD')).then(
        () => true,
        () => false,
      );
    },

    /** Creates the bare repository (again: harmless) and installs Vigil's hooks. */
    async init(caseId: string): Promise<void> {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await runGit(['init', '--quiet', '--bare', '--', pathOf(caseId)]);
      await git(caseId, ['config', 'http.uploadpack', 'true']);
      await store.installHooks(caseId);
    },

    /**
     * Writes the hooks unless they are already what this version of Vigil installs (every push asks:
     * an unchanged hook is only read, never written or chmod-ed).
     */
    async installHooks(caseId: string): Promise<void> {
      const hooks = join(pathOf(caseId), 'hooks');
      for (const [name, text] of [
        ['pre-receive', PRE_RECEIVE_HOOK],
        ['post-receive', POST_RECEIVE_HOOK],
      ] as const) {
        const path = join(hooks, name);
        const current = await readFile(path, 'utf8').catch(() => undefined);
        const mode = current === text ? (await stat(path)).mode & 0o777 : undefined;
        if (mode === 0o755) continue;
        await mkdir(hooks, { recursive: true });
        if (current !== text) await writeFile(path, text, { mode: 0o755 });
        await chmod(path, 0o755);
      }
    },

    /** The branches of `upstream` (name -> sha); a GitError when it cannot be read. */
    async remoteBranches(upstream: string): Promise<Map<string, string>> {
      const out = await runGit(['ls-remote', '--heads', '--end-of-options', upstream], {
        pre: UPSTREAM_PROTOCOLS,
        timeoutMs: 2 * 60_000,
      });
      const map = new Map<string, string>();
      for (const line of out.split('\n')) {
        const m = /^([0-9a-f]{40,64})\trefs\/heads\/(\S+)$/.exec(line);
        if (m?.[1] && m[2]) map.set(m[2], m[1]);
      }
      return map;
    },

    /**
     * Fetches `branches` of `upstream` into the case's repository (the last SEED_DEPTH commits of
     * each), as branches of the same names; their heads as seeded.
     */
    async fetchBranches(
      caseId: string,
      upstream: string,
      branches: readonly string[],
    ): Promise<Record<string, string>> {
      if (branches.length > 0) {
        const refspecs = branches.map((b) => `+refs/heads/${b}:refs/heads/${b}`);
        await runGit(
          [
            'fetch',
            '--quiet',
            '--no-tags',
            `--depth=${SEED_DEPTH}`,
            '--end-of-options',
            upstream,
            ...refspecs,
          ],
          { gitDir: pathOf(caseId), pre: UPSTREAM_PROTOCOLS, timeoutMs: SEED_TIMEOUT_MS },
        ).catch((err: unknown) => {
          throw err instanceof GitError ? err : new GitError(String(err), '', null, false);
        });
      }
      const now = await heads(caseId);
      const seeded: Record<string, string> = {};
      for (const b of branches) {
        const sha = now.get(b);
        if (sha) seeded[b] = sha;
      }
      return seeded;
    },

    /** The branch heads, most recently committed first (at most MAX_BRANCHES). */
    async listBranches(caseId: string): Promise<BranchHead[]> {
      const out = await git(caseId, [
        'for-each-ref',
        `--count=${MAX_BRANCHES}`,
        '--sort=-committerdate',
        '--format=%(refname)%00%(objectname)%00%(subject)%00%(authorname)%00%(committerdate:iso-strict)',
        'refs/heads/',
      ]);
      return out
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [ref = '', sha = '', subject = '', author = '', date = ''] = line.split('\0');
          return {
            name: ref.slice('refs/heads/'.length),
            sha,
            subject,
            author,
            committedAt: isoOf(date),
          };
        });
    },

    /** The branch names (at most MAX_BRANCHES), for the audit log. */
    async branchNames(caseId: string): Promise<string[]> {
      return [...(await heads(caseId)).keys()].slice(0, MAX_BRANCHES);
    },

    /**
     * The newest commits of all branches (at most MAX_RECENT_COMMITS), each with the branches that
     * contain it. In date order no commit precedes its descendants, so the ones that reach a listed
     * commit are all listed before it: containment is computed within the list.
     */
    async recentCommits(caseId: string): Promise<RecentCommit[]> {
      const [out, branchHeads] = await Promise.all([
        git(caseId, [
          'log',
          '--branches',
          '--date-order',
          `--max-count=${MAX_RECENT_COMMITS}`,
          '--no-color',
          '--format=%H%x00%P%x00%s%x00%an%x00%cI',
        ]),
        heads(caseId),
      ]);
      const commits = out
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [sha = '', parents = '', subject = '', author = '', date = ''] = line.split('\0');
          return {
            sha,
            parents: parents.split(' ').filter(Boolean),
            subject,
            author,
            committedAt: isoOf(date),
          };
        });
      const bySha = new Map(commits.map((c) => [c.sha, c]));
      const branchesOf = new Map<string, string[]>(commits.map((c) => [c.sha, []]));
      for (const [branch, head] of branchHeads) {
        const stack = bySha.has(head) ? [head] : [];
        const seen = new Set<string>();
        while (stack.length > 0) {
          const sha = stack.pop() as string;
          if (seen.has(sha)) continue;
          seen.add(sha);
          branchesOf.get(sha)?.push(branch);
          for (const p of bySha.get(sha)?.parents ?? []) if (bySha.has(p)) stack.push(p);
        }
      }
      return commits.map(({ sha, subject, author, committedAt }) => ({
        sha,
        subject,
        author,
        committedAt,
        branches: (branchesOf.get(sha) ?? []).sort(),
      }));
    },

    /** How many commits `branch` has beyond `bases` (its seed, or every seeded head; none: all). */
    async countAhead(caseId: string, branch: string, bases: readonly string[]): Promise<number> {
      const out = await git(caseId, ['rev-list', '--count', `refs/heads/${branch}`, '--not', ...bases, '--']);
      return Number(out.trim()) || 0;
    },

    /** The head of `branch`, or undefined when there is no such branch. */
    async branchHead(caseId: string, branch: string): Promise<string | undefined> {
      if (!BRANCH_NAME.test(branch)) return undefined;
      return (await heads(caseId)).get(branch);
    },

    /**
     * The mbox of the commits of `branch` not in `bases` (`git format-patch --stdout`), or of the
     * whole branch when there is no base. `maxBytes` bounds the answer (20 MiB unless given): a
     * larger series is a GitError.
     */
    async formatPatches(
      caseId: string,
      branch: string,
      bases: readonly string[],
      opts: { maxBytes?: number } = {},
    ): Promise<string> {
      const range =
        bases.length > 0
          ? [`refs/heads/${branch}`, ...bases.map((b) => `^${b}`)]
          : ['--root', `refs/heads/${branch}`];
      return git(caseId, ['format-patch', '--stdout', '--no-color', '--no-signature', ...range, '--'], {
        maxBytes: Math.min(opts.maxBytes ?? PATCHES_MAX_BYTES, PATCHES_MAX_BYTES),
        timeoutMs: 2 * 60_000,
      });
    },

    /** Refuses every push on disk too (http-backend answers 403), beyond the bridge's own check. */
    async freeze(caseId: string): Promise<void> {
      if (await store.exists(caseId)) await git(caseId, ['config', 'http.receivepack', 'false']);
    },
  };
  return store;
}

/** git's ISO 8601 date (with its offset) as Vigil's UTC instant. */
function isoOf(date: string): string {
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString();
}
