/**
 * The OSV API's requests and answers, in osv.dev's JSON shapes (`POST /v1/query`, `/v1/querybatch`):
 * a query names a package (name and ecosystem, or a purl) with an optional version, or a commit.
 * What osv.dev refuses is refused here with a 400 naming the field (`body.package.ecosystem`,
 * `body.queries.3.commit`); a purl of a type OSV has no ecosystem for answers no vulnerabilities,
 * as osv.dev does. Every string and list is bounded.
 */
import { z } from 'zod';
import { isOsvEcosystem } from '../../advisory/advisory.schemas.js';
import { PurlError, purlToPackage } from './purl.js';

/** osv.dev answers at most 1000 queries in a batch. */
export const MAX_BATCH_QUERIES = 1000;
/** The most records one query answers before it hands out a page token (osv.dev: 3000). */
export const MAX_QUERY_RESULTS = 3000;
/** The most ids one query of a batch answers before its page token (osv.dev: 1000). */
export const MAX_BATCH_RESULTS = 1000;

/** Request bodies, in bytes: a query is small; a batch of 1000 is ~1 KiB each. */
export const QUERY_BODY_LIMIT = 64 * 1024;
export const BATCH_BODY_LIMIT = 1024 * 1024;

const COMMIT = /^(?:[0-9a-fA-F]{2})+$/;
const PAGE_TOKEN = /^[A-Za-z0-9_-]+$/;

/** One query, as osv.dev reads it; `checkQuery` adds its rules. */
const querySchema = z
  .object({
    commit: z.string().max(128).optional(),
    version: z.string().max(500).optional(),
    package: z
      .object({
        name: z.string().max(1000).optional(),
        ecosystem: z.string().max(200).optional(),
        purl: z.string().max(2000).optional(),
      })
      .optional(),
    page_token: z.string().max(2000).optional(),
  })
  .superRefine((q, ctx) => {
    for (const [path, message] of queryProblems(q)) ctx.addIssue({ code: 'custom', path, message });
  });

export type OsvQueryInput = z.infer<typeof querySchema>;

/** osv.dev's refusals of one query, each with the field it names. */
function queryProblems(q: {
  commit?: string | undefined;
  version?: string | undefined;
  package?:
    { name?: string | undefined; ecosystem?: string | undefined; purl?: string | undefined } | undefined;
  page_token?: string | undefined;
}): [string[], string][] {
  const out: [string[], string][] = [];
  if (q.page_token !== undefined && !PAGE_TOKEN.test(q.page_token))
    out.push([['page_token'], 'invalid cursor']);
  if (q.commit !== undefined) {
    if (!COMMIT.test(q.commit)) out.push([['commit'], 'invalid hash: a commit is its full hexadecimal hash']);
    if (q.version !== undefined) out.push([['version'], 'a query names a commit or a version, not both']);
    return out;
  }
  const pkg = q.package;
  if (!pkg)
    return [...out, [['package'], 'invalid query: name a package (name and ecosystem, or purl) or a commit']];
  let name = pkg.name ?? '';
  let ecosystem = pkg.ecosystem ?? '';
  let version = q.version ?? '';
  if (pkg.purl) {
    if (pkg.name) out.push([['package', 'name'], 'name specified in a PURL query']);
    if (pkg.ecosystem) out.push([['package', 'ecosystem'], 'ecosystem specified in a PURL query']);
    try {
      const p = purlToPackage(pkg.purl);
      ({ name, ecosystem } = p);
      if (p.version) {
        if (version) out.push([['version'], 'version specified in params and PURL query']);
        version = p.version;
      }
    } catch (err) {
      if (!(err instanceof PurlError)) throw err;
      // A type OSV has no ecosystem for is no error: osv.dev answers it with no vulnerabilities.
      if (!err.unknownType) out.push([['package', 'purl'], `invalid PURL: ${err.message}`]);
      return out;
    }
  }
  if (ecosystem && ecosystem !== 'GIT' && !isOsvEcosystem(ecosystem)) {
    out.push([['package', 'ecosystem'], `invalid ecosystem '${ecosystem.slice(0, 100)}'`]);
  }
  if (!name) out.push([['package', 'name'], 'invalid query: name the package']);
  else if (!ecosystem && !version)
    out.push([['package', 'ecosystem'], 'invalid query: name the ecosystem, or a version']);
  return out;
}

export const osvQueryBody = querySchema;

export const osvBatchBody = z.object({
  queries: z.array(querySchema).max(MAX_BATCH_QUERIES, `too many queries: at most ${MAX_BATCH_QUERIES}`),
});

/** An OSV record as the API answers it (the whole record; see the OSV schema). */
const osvRecordOut = z.looseObject({ id: z.string(), modified: z.string() });

export const osvQueryAnswer = z.object({
  vulns: z.array(osvRecordOut).optional(),
  next_page_token: z.string().optional(),
});

export const osvBatchAnswer = z.object({
  results: z.array(
    z.object({
      vulns: z.array(z.object({ id: z.string(), modified: z.string() })).optional(),
      next_page_token: z.string().optional(),
    }),
  ),
});
