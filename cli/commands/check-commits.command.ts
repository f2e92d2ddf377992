/**
 * `vigil check-commits [RANGE] --case ID`: before a push, checks that no commit message of RANGE
 * and no branch name gives the case away (PROCESS.md §5): its id, advisory id, CVE id, or a word
 * the team listed. The same rule Vigil enforces on every push to the case's repository
 * (commit-check.ts); run locally, and as a pre-push hook, the refusal comes before anything leaves.
 * The words come from Vigil's API (`--url`/`--token` or VIGIL_URL/VIGIL_TOKEN), or, without a URL,
 * from the local database as the operator.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import {
  describeLeak,
  findLeaks,
  type CommitToCheck,
  type Leak,
} from '../../src/modules/fix/repository/commit-check.js';
import { GitError, runGit } from '../../src/modules/fix/repository/git-process.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

/** Commits checked at most per range: a bound, far beyond any fix. */
const MAX_COMMITS = 10_000;
const ZERO = /^0+$/;

interface CheckOptions {
  case: string;
  url?: string;
  token?: string;
  directory?: string;
  hook?: string;
  data?: string;
  json?: boolean;
}

const HOOK_HELP = `
As a pre-push hook, in .git/hooks/pre-push (chmod +x), so that git refuses the push itself:

  #!/bin/sh
  exec vigil check-commits --hook pre-push --case CTR-2026-0001 --url https://vigil.example.org

with VIGIL_TOKEN set to a personal API token (\`vigil token create\`, or the Account page). In hook
mode it reads git's pre-push lines on standard input and checks, for each pushed ref, its remote
name and the commits that are not on any remote-tracking branch yet.

Exit status: 0 when nothing names the case, 1 naming each commit (and each branch) and its word.`;

/** Registers `vigil check-commits`. */
export function registerCheckCommitsCommand(program: Command, cli: Cli): void {
  withDataOption(
    program
      .command('check-commits')
      .description("refuse commit messages and branch names that name a case's ids or the team's words")
      .argument('[range]', 'the commits to check (default: those of HEAD on no remote-tracking branch)')
      .requiredOption('--case <id>', 'the case (CTR-2026-0001)')
      .option('--url <url>', "Vigil's address (or VIGIL_URL); without it, the local database")
      .option('--token <token>', 'a personal API token (or VIGIL_TOKEN)')
      .option('-C, --directory <dir>', 'the git repository (default: the current directory)')
      .option('--hook <name>', 'run as a git hook: pre-push')
      .option('--json', 'print the result as JSON')
      .addHelpText('after', HOOK_HELP),
  ).action(async (range: string | undefined, opts: CheckOptions) => {
    const caseId = parseInput(z.string().trim().min(1).max(64), opts.case, 'case');
    if (opts.hook !== undefined && opts.hook !== 'pre-push') {
      throw new CliError(`--hook must be pre-push, not "${opts.hook}".`, 2);
    }
    if (range?.startsWith('-')) throw new CliError(`The range "${range}" is not a revision range.`, 2);
    const cwd = opts.directory;
    const targets = opts.hook ? await prePushTargets(cli, cwd) : await rangeTargets(range, cwd);
    const words = await wordsOf(cli, caseId, opts);
    const commits: CommitToCheck[] = [];
    for (const revs of targets.ranges) commits.push(...(await commitsOf(revs, cwd)));
    const leaks = dedupe(findLeaks(words, { refs: targets.refs, commits }));
    report(cli, caseId, leaks, commits.length, opts.json);
    if (leaks.length > 0) cli.exitCode = 1;
  });
}

/** What a plain run checks: RANGE (or HEAD's unpushed commits) and the current branch's name. */
async function rangeTargets(range: string | undefined, cwd: string | undefined) {
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], cwd).catch(() => '');
  return {
    refs: branch.trim() ? [branch.trim()] : [],
    ranges: [range ? [range] : ['HEAD', '--not', '--remotes']],
  };
}

/** What a pre-push hook checks: each pushed ref's names, and its commits not yet on a remote. */
async function prePushTargets(cli: Cli, cwd: string | undefined) {
  let input = '';
  for await (const chunk of cli.io.stdin) {
    input += chunk.toString();
    if (input.length > 1024 * 1024) throw new CliError('Too much input for a pre-push hook.');
  }
  const refs: string[] = [];
  const ranges: string[][] = [];
  for (const line of input.split('\n')) {
    const [localRef, localSha, remoteRef, remoteSha] = line.trim().split(/\s+/);
    if (!localRef || !localSha || !remoteRef || !remoteSha) continue;
    if (!/^[0-9a-f]{40,64}$/.test(localSha) || !/^[0-9a-f]{40,64}$/.test(remoteSha)) continue;
    refs.push(remoteRef);
    if (localRef !== '(delete)') refs.push(localRef);
    if (ZERO.test(localSha)) continue;
    const known =
      !ZERO.test(remoteSha) &&
      (await git(['cat-file', '-e', `${remoteSha}^{commit}`], cwd).then(
        () => true,
        () => false,
      ));
    ranges.push([localSha, '--not', '--remotes', ...(known ? [remoteSha] : [])]);
  }
  return { refs: [...new Set(refs)], ranges };
}

/** The words of the case: from Vigil's API, or from the local database as the operator. */
async function wordsOf(cli: Cli, caseId: string, opts: CheckOptions): Promise<string[]> {
  const url = opts.url ?? cli.env.VIGIL_URL;
  if (!url) {
    return cli.withServices(opts, async (services, principal) => {
      return (await services.repositories.commitCheckWords(principal, caseId)).words;
    });
  }
  const token = opts.token ?? cli.env.VIGIL_TOKEN;
  if (!token) throw new CliError('--url needs a personal API token: --token or VIGIL_TOKEN.', 2);
  const base = parseInput(z.url({ protocol: /^https?$/ }), url, 'url').replace(/\/+$/, '');
  const res = await fetch(`${base}/api/v1/cases/${encodeURIComponent(caseId)}/commit-check`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  }).catch((err: unknown) => {
    throw new CliError(`Vigil at ${base} could not be reached: ${String(err)}`);
  });
  if (res.status === 401) throw new CliError('Vigil refused the token: it is invalid, expired or revoked.');
  if (res.status === 404)
    throw new CliError(`Case ${caseId} was not found (or your token may not push to it).`);
  if (!res.ok) throw new CliError(`Vigil answered ${res.status} for the words of ${caseId}.`);
  const body = z.object({ words: z.array(z.string().max(200)).max(100) }).safeParse(await res.json());
  if (!body.success) throw new CliError('Vigil answered something that is not a list of words.');
  return body.data.words;
}

/** The commits of `revs` with their messages. */
async function commitsOf(revs: readonly string[], cwd: string | undefined): Promise<CommitToCheck[]> {
  const out = await git(
    ['log', '--no-color', `--max-count=${MAX_COMMITS}`, '--format=%x01%H%n%B', ...revs, '--'],
    cwd,
  );
  return out
    .split('\u0001')
    .map((record) => {
      const nl = record.indexOf('\n');
      return nl < 0 ? undefined : { sha: record.slice(0, nl), message: record.slice(nl + 1) };
    })
    .filter((c): c is CommitToCheck => c !== undefined && /^[0-9a-f]{40,64}$/.test(c.sha));
}

async function git(args: string[], cwd: string | undefined): Promise<string> {
  try {
    return await runGit(args, { cwd, maxBytes: 64 * 1024 * 1024 });
  } catch (err) {
    if (err instanceof GitError && args[0] === 'log') {
      throw new CliError(`git could not list the commits to check: ${err.message}`);
    }
    throw err;
  }
}

function dedupe(leaks: Leak[]): Leak[] {
  const seen = new Set<string>();
  return leaks.filter((l) => {
    const key = l.kind === 'commit' ? `c:${l.sha}` : `r:${l.ref}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function report(cli: Cli, caseId: string, leaks: Leak[], checked: number, json: boolean | undefined): void {
  if (json) {
    cli.out(JSON.stringify({ case: caseId, commitsChecked: checked, leaks }, null, 2));
    return;
  }
  if (leaks.length === 0) {
    cli.out(`Nothing names ${caseId}: ${checked} commit${checked === 1 ? '' : 's'} checked.`);
    return;
  }
  for (const leak of leaks) cli.err(`vigil: ${describeLeak(leak)}`);
  cli.err(
    `vigil: ${leaks.length === 1 ? 'this gives' : `these ${leaks.length} give`} ${caseId} away: ` +
      'reword the commits (git commit --amend, git rebase -i) and rename the branch.',
  );
}
