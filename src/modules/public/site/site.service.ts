/**
 * The public site: the front page, project pages, published advisories (HTML, Vigil JSON, OSV),
 * Atom feeds and JSON indexes, OSV's all.zip and an OSV-compatible query API. Everything here is
 * public and needs no sign-in, so there is no access check: what makes it safe is that every
 * advisory comes from `site.repo.ts`, which returns only advisories in state `published` of a
 * case in a disclosed state. A draft, an embargoed case, a withdrawn or rejected advisory answers
 * exactly as one that does not exist.
 */
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { hitRateLimits } from '../../../lib/rate-limit.js';
import { addressBucket } from '../../../lib/client-address.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { openCveId } from '../../advisory/advisory-cve.js';
import { openAdvisoryDocument } from '../../advisory/advisory-record.js';
import { OSV_ECOSYSTEMS, type AdvisoryDocument } from '../../advisory/advisory.schemas.js';
import type { OsvRecord } from '../../advisory/export/osv.js';
import { findCurrentTemplate } from '../../advisory/render/advisory-render.repo.js';
import { DEFAULT_TEMPLATES, renderPublishedPage } from '../../advisory/render/render-advisory.js';
import { projectContextById, projectContextBySlug, type ProjectContext } from '../../cases/case-context.js';
import { DISCLOSED_STATES } from '../../cases/case-transitions.js';
import type { CaseCipher } from '../../cases/case-view.js';
import { zipStream, type ZipEntry } from '../../../lib/zip.js';
import { instanceFeedId, renderAtom, type AtomEntry } from './atom-feed.js';
import { trusted } from './markup.js';
import { matchRecords, type MatchQuery } from './osv-match.js';
import { MAX_BATCH_RESULTS, MAX_QUERY_RESULTS, type OsvQueryInput } from './osv-api.schemas.js';
import {
  indexEntry,
  publicDocument,
  publicOsv,
  publicationTimes,
  renderableOf,
  siteUrls,
  type PublicAdvisory,
} from './public-advisory.js';
import { PurlError, purlToPackage } from './purl.js';
import * as html from './site-html.js';
import * as repo from './site.repo.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../../lib/list-page.js';
import { DEFAULT_PAGE_SIZE } from '../../../lib/pagination.js';

/** The projects the front page lists per page. */
export const FRONT_PAGE_SIZE = 200;
export interface PublicSiteDeps {
  db: Db;
  clock: Clock;
  /** Decrypts documents and CVE ids; encrypts only the cursor key when it is first created. */
  cipher: Pick<CaseCipher, 'decryptField' | 'encryptField'>;
  publicUrl: string;
  /** Decrypted documents kept in memory (least recently used dropped first); DOCUMENT_CACHE unless given. */
  documentCacheSize?: number;
}

/** Entries in a feed, newest first. (A JSON index is paged: `limit`, `cursor`.) */
export const FEED_ENTRIES = 50;
/** Decrypted documents kept, by advisory and revision (revisions never change). */
const DOCUMENT_CACHE = 2000;
/** Documents read and decrypted per query. */
const CHUNK = 200;
/**
 * OSV API calls per client address and minute (a batch holds up to 1000 queries): generous for a
 * scanner, a bound for a loop.
 */
export const OSV_QUERIES_PER_MINUTE = 600;
export const OSV_BATCHES_PER_MINUTE = 60;
/** A feed's `updated` while it has no entry: fixed, so the feed does not seem to change. */
const FEED_EPOCH = '2026-01-01T00:00:00.000Z';

export type PublicSiteService = ReturnType<typeof createPublicSiteService>;

/** The OSV ecosystems a record is filed under in all.zip, as osv.dev files them. */
export function archiveEcosystems(record: OsvRecord): string[] {
  const out = new Set<string>();
  for (const a of record.affected ?? []) {
    const base = a.package?.ecosystem.split(':')[0];
    if (base) out.add(base);
    if (a.ranges?.some((r) => r.type === 'GIT')) out.add('GIT');
  }
  return [...out].sort();
}

type Ordered = Pick<PublicAdvisory, 'modified' | 'published' | 'advisoryId' | 'rowId'>;
const newestFirst = (a: Ordered, b: Ordered) =>
  b.modified.localeCompare(a.modified) ||
  b.published.localeCompare(a.published) ||
  a.advisoryId.localeCompare(b.advisoryId) ||
  // Two projects' advisories may share an id: the row's id makes the order total (the index's cursor).
  a.rowId.localeCompare(b.rowId);

export function createPublicSiteService(deps: PublicSiteDeps) {
  const k = deps.db.kysely;
  const urls = siteUrls(deps.publicUrl);
  const cacheSize = deps.documentCacheSize ?? DOCUMENT_CACHE;
  const documents = new Map<string, AdvisoryDocument>();
  const cursors = lazyCursorCodec(deps);

  /** A cached document, marked as the most recently used (a Map keeps insertion order). */
  function recall(key: string): AdvisoryDocument | undefined {
    const doc = documents.get(key);
    if (doc !== undefined) {
      documents.delete(key);
      documents.set(key, doc);
    }
    return doc;
  }

  function remember(key: string, doc: AdvisoryDocument): void {
    documents.delete(key);
    documents.set(key, doc);
    // Least recently used first in the Map: drop it beyond the bound.
    if (documents.size > cacheSize) {
      const oldest = documents.keys().next().value;
      if (oldest !== undefined) documents.delete(oldest);
    }
  }

  /**
   * The rows with their current documents (decrypted once per revision, then cached). This call's
   * documents are held in a local map, so filling the cache for some rows never loses others.
   */
  async function withDocuments(rows: readonly repo.PublishedAdvisoryRow[]): Promise<PublicAdvisory[]> {
    const key = (id: string, revision: number) => `${id}#${revision}`;
    /** This call's documents, by advisory row id. */
    const held = new Map<string, AdvisoryDocument>();
    const missing: repo.PublishedAdvisoryRow[] = [];
    for (const r of rows) {
      const doc = recall(key(r.id, r.current_revision));
      if (doc) held.set(r.id, doc);
      else missing.push(r);
    }
    for (let i = 0; i < missing.length; i += CHUNK) {
      const ids = missing.slice(i, i + CHUNK).map((r) => r.id);
      for (const rev of await repo.listCurrentRevisions(k, ids)) {
        const doc = openAdvisoryDocument(deps.cipher, rev);
        remember(key(rev.advisory_id, rev.revision), doc);
        held.set(rev.advisory_id, doc);
      }
    }
    return rows.flatMap((r) => {
      const document = held.get(r.id);
      if (!document) return [];
      return [
        {
          rowId: r.id,
          advisoryId: r.advisory_id,
          projectId: r.project_id,
          projectSlug: r.project_slug,
          projectName: r.project_name,
          cveId: openCveId(deps.cipher, r),
          ...publicationTimes(r),
          document,
        },
      ];
    });
  }

  /** Every published advisory (of one project), by advisory id. */
  async function published(projectId?: string): Promise<PublicAdvisory[]> {
    return withDocuments(await repo.listPublishedAdvisories(k, DISCLOSED_STATES, projectId));
  }

  /** The projects' contexts (policy included), loaded once per call. */
  function projectCache() {
    const seen = new Map<string, Promise<ProjectContext>>();
    return (id: string) => {
      let p = seen.get(id);
      if (!p) seen.set(id, (p = projectContextById(k, id)));
      return p;
    };
  }

  async function advisoryOf(slug: string, advisoryId: string) {
    const project = await projectContextBySlug(k, slug);
    const row = await repo.findPublishedAdvisory(k, DISCLOSED_STATES, project.id, advisoryId);
    const [advisory] = row ? await withDocuments([row]) : [];
    // A draft, an embargoed case's advisory and a missing one read the same.
    if (!advisory) throw new NotFoundError(`Advisory '${advisoryId}' of project '${slug}'`);
    return { project, advisory };
  }

  /** The OSV records of `advisories`; one OSV cannot express (a short GIT commit) is left out. */
  async function osvRecords(advisories: readonly PublicAdvisory[]): Promise<OsvRecord[]> {
    const projectOf = projectCache();
    const out: OsvRecord[] = [];
    for (const a of advisories) {
      const project = await projectOf(a.projectId);
      try {
        out.push(
          publicOsv(a, {
            slug: project.slug,
            name: project.name,
            repositoryUrl: project.policy.project.repositoryUrl,
          }),
        );
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    return out;
  }

  function feedEntry(a: PublicAdvisory): AtomEntry {
    const entry = indexEntry(a, urls);
    const s = entry.severity;
    return {
      id: `urn:uuid:${a.rowId}`,
      title: `${entry.cveId ?? entry.id}: ${entry.title}`,
      updated: a.modified,
      published: a.published,
      url: entry.urls.html,
      osvUrl: entry.urls.osv,
      summary: a.document.summary || a.document.title,
      severity: s && { term: s.severity, label: `${s.severity} (CVSS ${s.version} ${s.score.toFixed(1)})` },
      author: a.projectName,
    };
  }

  /** One query's matching records: by id, after the page token's id. */
  function answer(q: OsvQueryInput, records: readonly OsvRecord[], limit: number) {
    let match: MatchQuery;
    if (q.commit !== undefined) {
      match = { kind: 'commit', commit: q.commit };
    } else {
      let { name = '', ecosystem = '' } = q.package ?? {};
      let version = q.version ?? '';
      if (q.package?.purl) {
        try {
          const p = purlToPackage(q.package.purl);
          ({ name, ecosystem } = p);
          version = version || (p.version ?? '');
        } catch (err) {
          // The schema refused malformed purls: this is a type without an OSV ecosystem.
          if (err instanceof PurlError) return { vulns: [] as OsvRecord[], next: undefined };
          throw err;
        }
      }
      match = { kind: 'package', name, ecosystem: ecosystem || null, version: version || null };
    }
    const after = q.page_token ? Buffer.from(q.page_token, 'base64url').toString('utf8') : '';
    const all = matchRecords(match, records).filter((r) => r.id > after);
    const vulns = all.slice(0, limit);
    const last = vulns[vulns.length - 1];
    const next = all.length > limit && last ? Buffer.from(last.id, 'utf8').toString('base64url') : undefined;
    return { vulns, next };
  }

  return {
    urls,

    /** `/`: every project with its links, count of published advisories and the newest one. */
    /**
     * `/`: one page of the instance's projects (FRONT_PAGE_SIZE, by slug), each with what its public
     * page shows; `viewer` only changes the header's links (sign in, or one's work). A page past
     * the last is not found (page 1 always exists, even without projects).
     */
    async frontPage(pageNumber: number, viewer: html.Viewer): Promise<string> {
      const total = await repo.countProjects(k);
      const pages = Math.max(1, Math.ceil(total / FRONT_PAGE_SIZE));
      if (pageNumber > pages) throw new NotFoundError(`Page ${pageNumber} of the front page`);
      const offset = (pageNumber - 1) * FRONT_PAGE_SIZE;
      const projects = await repo.listProjectsPage(k, offset, FRONT_PAGE_SIZE);
      const ids = projects.map((p) => p.id);
      const rows = await repo.listPublishedAdvisoriesOfProjects(k, DISCLOSED_STATES, ids);
      const byProject = new Map<string, repo.PublishedAdvisoryRow[]>();
      for (const r of rows) byProject.set(r.project_id, [...(byProject.get(r.project_id) ?? []), r]);
      // Only each project's newest advisory is decrypted (its title is shown); the others are counted.
      const newest = [...byProject.values()].flatMap((mine) => {
        const [first] = [...mine].sort((a, b) =>
          newestFirst(
            { ...publicationTimes(a), advisoryId: a.advisory_id, rowId: a.id },
            { ...publicationTimes(b), advisoryId: b.advisory_id, rowId: b.id },
          ),
        );
        return first ? [first] : [];
      });
      const latest = new Map((await withDocuments(newest)).map((a) => [a.projectId, a]));
      const projectOf = projectCache();
      const cards: html.ProjectCard[] = [];
      for (const p of projects) {
        const policy = (await projectOf(p.id)).policy;
        const newestOne = latest.get(p.id);
        cards.push({
          name: p.name,
          slug: p.slug,
          published: byProject.get(p.id)?.length ?? 0,
          latest: newestOne ? indexEntry(newestOne, urls) : null,
          distributorsList: policy.disclosure.distributorsList.enabled,
        });
      }
      return html.frontPage(urls, cards, {
        viewer,
        page: pageNumber,
        pages,
        total,
        first: total === 0 ? 0 : offset + 1,
      });
    },

    /**
     * A path under `/p/` that no route answers: the single-page app's public pages of a project that
     * exists (its report form, the distributors' application) are the app's; anything else is
     * not found (an unknown project, an unknown page of a known one), whatever is asked for.
     */
    async appOwnsPublicPath(path: string): Promise<boolean> {
      const match = /^\/p\/([^/]{1,300})\/(report|distributors\/apply)\/?$/.exec(path);
      if (!match?.[1]) return false;
      let slug: string;
      try {
        slug = decodeURIComponent(match[1]);
      } catch {
        return false;
      }
      return slug.length <= 100 && (await repo.projectSlugExists(k, slug));
    },

    /** `/p/{slug}` or `/p/{slug}/advisories`. */
    async projectPage(slug: string, focus: 'project' | 'advisories'): Promise<string> {
      const project = await projectContextBySlug(k, slug);
      const entries = (await published(project.id)).sort(newestFirst).map((a) => indexEntry(a, urls));
      const distributorsList = project.policy.disclosure.distributorsList.enabled;
      return html.projectPage(
        urls,
        { name: project.name, slug: project.slug, distributorsList },
        entries,
        focus,
      );
    },

    /** `/p/{slug}/advisories/{id}`: the project's page template, sanitised, in the site's frame. */
    async advisoryPage(slug: string, advisoryId: string): Promise<string> {
      const { project, advisory } = await advisoryOf(slug, advisoryId);
      const source = (await findCurrentTemplate(k, project.id, 'page'))?.source ?? DEFAULT_TEMPLATES.page;
      const renderable = renderableOf(advisory);
      let body: string;
      try {
        body = renderPublishedPage(source, renderable, project);
      } catch (err) {
        // A saved template over its work budget for this advisory: Vigil's own page instead.
        if (!(err instanceof AppError) || source === DEFAULT_TEMPLATES.page) throw err;
        body = renderPublishedPage(DEFAULT_TEMPLATES.page, renderable, project);
      }
      return html.advisoryPage(urls, project, indexEntry(advisory, urls), trusted(body));
    },

    /** `/p/{slug}/advisories/{id}.json`. */
    async advisoryJson(slug: string, advisoryId: string) {
      const { advisory } = await advisoryOf(slug, advisoryId);
      return publicDocument(advisory, urls);
    },

    /** `/p/{slug}/advisories/{id}.osv.json`: valid against the OSV schema. */
    async advisoryOsv(slug: string, advisoryId: string): Promise<OsvRecord> {
      const { advisory } = await advisoryOf(slug, advisoryId);
      const [record] = await osvRecords([advisory]);
      if (!record) throw new NotFoundError(`The OSV record of advisory '${advisoryId}'`);
      return record;
    },

    /** The Atom feed of a project (`slug`) or of the instance: the newest FEED_ENTRIES. */
    async feed(slug?: string): Promise<string> {
      const project = slug === undefined ? undefined : await projectContextBySlug(k, slug);
      const entries = (await published(project?.id)).sort(newestFirst).slice(0, FEED_ENTRIES).map(feedEntry);
      const files = project && urls.projectFiles(project.slug);
      return renderAtom({
        id: project ? `urn:uuid:${project.id}` : instanceFeedId(deps.publicUrl),
        title: project ? `${project.name} security advisories` : 'Security advisories',
        subtitle: project
          ? `Published by the ${project.policy.contacts.securityTeam.name}.`
          : 'Published by the projects of this Vigil instance.',
        updated: entries[0]?.updated ?? FEED_EPOCH,
        selfUrl: files?.feed ?? urls.feed,
        pageUrl: files?.advisories ?? urls.home,
        author: project ? project.policy.contacts.securityTeam.name : 'Vigil',
        entries,
      });
    },

    /**
     * The JSON index of a project (`slug`) or of the instance, newest first, a page at a time. The
     * order is the documents' (`modified`, then `published`, then id), known only once the
     * published advisories are read and decrypted, which the site does whole anyway (at most
     * MAX_PUBLISHED, documents cached): the cursor is a key in that order, so a page after it is
     * right even when advisories were published in between; it is not an index seek.
     */
    async index(
      slug?: string,
      page: { cursor?: string | undefined; limit: number } = { limit: DEFAULT_PAGE_SIZE },
    ) {
      const project = slug === undefined ? undefined : await projectContextBySlug(k, slug);
      const codec = await cursors();
      const filter = { projectId: project?.id ?? null };
      const after = cursorKey(codec.decode('site.advisories', filter, page.cursor), [
        'string',
        'string',
        'string',
        'string',
      ]);
      const all = (await published(project?.id)).sort(newestFirst);
      const from =
        after === undefined
          ? 0
          : (() => {
              const [modified, publishedAt, advisoryId, rowId] = after;
              const i = all.findIndex(
                (a) => newestFirst(a, { modified, published: publishedAt, advisoryId, rowId }) > 0,
              );
              return i < 0 ? all.length : i;
            })();
      const { rows, nextCursor } = keysetPage(all.slice(from, from + page.limit + 1), page.limit, (last) =>
        codec.encode('site.advisories', filter, [last.modified, last.published, last.advisoryId, last.rowId]),
      );
      const files = project && urls.projectFiles(project.slug);
      return {
        title: project ? `${project.name} security advisories` : 'Security advisories',
        project: project ? { slug: project.slug, name: project.name } : null,
        feed: files?.feed ?? urls.feed,
        osvArchive: urls.osvAll,
        total: all.length,
        /** More pages follow (`nextCursor`). */
        truncated: nextCursor !== null,
        nextCursor,
        advisories: rows.map((a) => indexEntry(a, urls)),
      };
    },

    /**
     * `/osv/all.zip` (`ecosystem` undefined) or `/osv/{ecosystem}/all.zip` in osv.dev's layout: one
     * `<id>.json` per record, by id. 404 for a name that is no OSV ecosystem (nor `GIT`); a known
     * ecosystem without records is an empty archive. Documents are read and compressed in chunks
     * as the archive streams.
     */
    async osvArchive(ecosystem?: string): Promise<AsyncIterable<Buffer>> {
      if (
        ecosystem !== undefined &&
        ecosystem !== 'GIT' &&
        !(OSV_ECOSYSTEMS as readonly string[]).includes(ecosystem)
      ) {
        throw new NotFoundError(`OSV ecosystem '${ecosystem}'`);
      }
      const rows = await repo.listPublishedAdvisories(k, DISCLOSED_STATES);
      async function* entries(): AsyncGenerator<ZipEntry> {
        for (let i = 0; i < rows.length; i += CHUNK) {
          for (const record of await osvRecords(await withDocuments(rows.slice(i, i + CHUNK)))) {
            if (ecosystem !== undefined && !archiveEcosystems(record).includes(ecosystem)) continue;
            yield {
              name: `${record.id}.json`,
              data: Buffer.from(JSON.stringify(record)),
              modified: new Date(record.modified),
            };
          }
        }
      }
      return zipStream(entries());
    },

    /** `/osv/ecosystems.txt`: the ecosystems with records, one a line, as osv.dev lists them. */
    async osvEcosystems(): Promise<string> {
      const names = new Set((await osvRecords(await published())).flatMap(archiveEcosystems));
      return [...names]
        .sort()
        .map((n) => `${n}\n`)
        .join('');
    },

    /** `POST /osv/v1/query`: the matching records in full, `{}` when none. 429 past the rate limit. */
    async query(q: OsvQueryInput, ip: string) {
      await hitRateLimits(k, deps.clock, [
        { bucket: addressBucket('osv-query', ip), limit: OSV_QUERIES_PER_MINUTE, windowSeconds: 60 },
      ]);
      const { vulns, next } = answer(q, await osvRecords(await published()), MAX_QUERY_RESULTS);
      // Spread: a plain object of the record's fields, as the answer's schema passes them through.
      return {
        ...(vulns.length ? { vulns: vulns.map((v) => ({ ...v })) } : {}),
        ...(next ? { next_page_token: next } : {}),
      };
    },

    /** `POST /osv/v1/querybatch`: per query, the matching ids with their `modified`. 429 past the rate limit. */
    async queryBatch(queries: readonly OsvQueryInput[], ip: string) {
      await hitRateLimits(k, deps.clock, [
        { bucket: addressBucket('osv-batch', ip), limit: OSV_BATCHES_PER_MINUTE, windowSeconds: 60 },
      ]);
      const records = queries.length ? await osvRecords(await published()) : [];
      return {
        results: queries.map((q) => {
          const { vulns, next } = answer(q, records, MAX_BATCH_RESULTS);
          return {
            ...(vulns.length ? { vulns: vulns.map((v) => ({ id: v.id, modified: v.modified })) } : {}),
            ...(next ? { next_page_token: next } : {}),
          };
        }),
      };
    },

    /** The HTML 404 of the site. */
    notFoundPage: () => html.notFoundPage(urls),
  };
}
