/**
 * Factories for the publication tests: a webhook receiver (a real local HTTP server that records
 * every request and answers as told), a case made ready for publication through the real API
 * (advisory with CVE id and a fixed version, fix ready, disclosure scheduled), and a distributors'
 * organisation the case is shared with.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../src/db/connection.js';
import { acceptedCase, createUser, uniqueEmail, type Client, type TestApp } from './app.js';
import { insertDistributorOrg, insertDistributorPerson } from './distributors.js';

export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HookReceiver {
  url(path: string): string;
  hits: ReceivedHook[];
  /** The status codes of the next answers to `path`, in order (204 once they are used up). */
  answerNext(path: string, ...codes: number[]): void;
  /** Leaves every later request unanswered (a slow receiver) until `release`; `hits` holds answered ones. */
  hold(): void;
  /** Stops holding: answers the held requests (or, with `keep` false, drops them: their clients are gone). */
  release(keep?: boolean): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records what webhooks post (each request it answered). */
export async function startHookReceiver(): Promise<HookReceiver> {
  const hits: ReceivedHook[] = [];
  const answers = new Map<string, number[]>();
  let holding = false;
  const held: { res: ServerResponse; hit: ReceivedHook }[] = [];
  const respond = (res: ServerResponse, hit: ReceivedHook) => {
    hits.push(hit);
    res.statusCode = answers.get(hit.path)?.shift() ?? 204;
    res.end();
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (holding) held.push({ res, hit });
      else respond(res, hit);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    answerNext: (path, ...codes) => answers.set(path, [...(answers.get(path) ?? []), ...codes]),
    hold: () => {
      holding = true;
    },
    release: (keep = true) => {
      holding = false;
      for (const { res, hit } of held.splice(0)) {
        if (keep && !res.socket?.destroyed) respond(res, hit);
        else res.destroy();
      }
    },
    close: () => {
      for (const { res } of held.splice(0)) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H';

/**
 * The emissary preset with line 1.28 supported, no upstream, `addresses` to announce to, and any
 * day allowed for a release (the tests' clocks and the real one fall on Fridays and weekends too).
 */
export function publicationPolicy(yaml: string, addresses: string[]): string {
  const list = addresses.length > 0 ? `\n${addresses.map((a) => `      - ${a}`).join('\n')}` : ' []';
  return yaml
    .replace(/supportedLines: \[\]/, "supportedLines: ['1.28']")
    .replace(/upstreamRepository: \S+/, 'upstreamRepository: null')
    .replace(/\n {4}addresses: \[\]\n/, `\n    addresses:${list}\n`)
    .replace(
      / {2}maxEmbargoDays: (\d+)\n/,
      '  maxEmbargoDays: $1\n  releaseWindow:\n    avoidFridays: false\n    avoidWeekends: false\n    avoidHolidays: false\n',
    );
}

export interface ReadyCase {
  humanId: string;
  caseId: string;
  advisoryId: string;
  cveId: string;
}

async function ok(res: Promise<{ statusCode: number; body: string }>, what: string): Promise<string> {
  const r = await res;
  if (r.statusCode >= 300) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  return r.body;
}

/**
 * A case of project `slug` scheduled for disclosure at `at`: accepted, its advisory drafted (a Go
 * package, 1.28.0 up to the fix in 1.28.4, a critical CVSS vector, mitigations) with CVE id
 * `cveId`, fix ready, disclosure scheduled; the 1.28 release recorded as published when `released`.
 */
export async function readyCase(
  t: TestApp,
  team: Client,
  slug: string,
  opts: { title: string; at: string; cveId: string; released: boolean },
): Promise<ReadyCase> {
  const humanId = await acceptedCase(t, slug, team, opts.title);
  const draft = JSON.parse(await ok(team.request('POST', `/api/v1/cases/${humanId}/advisory`), 'draft')) as {
    revision: number;
    advisoryId: string;
    caseId: string;
  };
  await ok(
    team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
      baseRevision: draft.revision,
      document: {
        title: opts.title,
        summary: `${opts.title}: a crafted header crashes the listener`,
        description: 'A crafted header makes the listener crash.',
        mitigations: 'Put a header size limit in front of the listener.',
        workarounds: 'None known.',
        affected: [
          {
            ecosystem: 'Go',
            package: 'github.com/emissary-ingress/emissary',
            ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
          },
        ],
        severity: { cvss: [{ vector: CRITICAL }] },
      },
    }),
    'advisory',
  );
  await ok(team.request('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId: opts.cveId }), 'cve');
  for (const to of ['fixing', 'fix-ready'] as const) {
    await ok(team.request('POST', `/api/v1/cases/${humanId}/transitions`, { to }), to);
  }
  await ok(
    team.request('POST', `/api/v1/cases/${humanId}/transitions`, {
      to: 'disclosure-scheduled',
      disclosureAt: opts.at,
    }),
    'disclosure-scheduled',
  );
  if (opts.released) await recordRelease(team, humanId);
  return { humanId, caseId: draft.caseId, advisoryId: draft.advisoryId, cveId: opts.cveId };
}

/** Records the 1.28 patch release as published. */
export async function recordRelease(team: Client, humanId: string): Promise<void> {
  await ok(
    team.request('PUT', `/api/v1/cases/${humanId}/releases/1.28`, { version: '1.28.4', state: 'published' }),
    'release',
  );
}

/**
 * A distributors' organisation of project `slug` with `people` active people (accounts) and one
 * removed person, the case shared with it. Their addresses (the removed one's last).
 */
export async function shareWithDistributor(
  t: TestApp,
  db: Db,
  slug: string,
  caseId: string,
  people: number,
): Promise<{ active: string[]; removed: string }> {
  const k = db.kysely;
  const project = await k
    .selectFrom('projects')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  const now = t.clock.now().toISOString();
  const orgId = randomUUID();
  await insertDistributorOrg(k, {
    id: orgId,
    projectId: project.id,
    name: `Distribution ${orgId.slice(0, 6)}`,
    contactAlias: uniqueEmail('distro-security'),
    now,
  });
  const emails: string[] = [];
  for (let i = 0; i <= people; i++) {
    const user = await createUser(t);
    emails.push(user.email);
    await insertDistributorPerson(k, {
      orgId,
      projectId: project.id,
      userId: user.id,
      name: `Person ${i}`,
      now,
      embargoHash: 'a'.repeat(64),
      ...(i < people ? {} : { removedAt: now }),
    });
  }
  await k
    .insertInto('case_distributor_shares')
    .values({ case_id: caseId, org_id: orgId, shared_at: now, shared_by_user_id: null })
    .execute();
  return { active: emails.slice(0, people), removed: emails[people] ?? '' };
}
