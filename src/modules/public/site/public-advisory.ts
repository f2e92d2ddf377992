/**
 * A published advisory as the public site shows it: its publication instants, URLs, OSV record,
 * Vigil JSON document, index entry and the input of the page template. Pure: the service loads the
 * rows and documents (only of published advisories) and passes them here.
 */
import { overallSeverity, scoreVectors } from '../../advisory/advisory-severity.js';
import { patchedVersions, type AdvisoryDocument } from '../../advisory/advisory.schemas.js';
import { osvId, toOsv, type OsvRecord } from '../../advisory/export/osv.js';
import type { RenderableAdvisory } from '../../advisory/render/render-context.js';

/** A published advisory with its current document. */
export interface PublicAdvisory {
  rowId: string;
  advisoryId: string;
  projectId: string;
  projectSlug: string;
  projectName: string;
  cveId: string | null;
  /** When it became public (ISO 8601). */
  published: string;
  /** Its last publication or change, never before `published` (ISO 8601). */
  modified: string;
  document: AdvisoryDocument;
}

/** The project facts an OSV record carries. */
export interface PublicProject {
  slug: string;
  name: string;
  repositoryUrl: string | null;
}

/**
 * Publication instants: the case's entry into `published`, or (imported history, which is born
 * published) the advisory's own creation instant, which the import sets to the source's
 * publication. `modified` is the later of that and the advisory's last change.
 */
export function publicationTimes(row: {
  released_at: string | null;
  created_at: string;
  updated_at: string;
}): { published: string; modified: string } {
  const published = new Date(row.released_at ?? row.created_at).toISOString();
  const updated = new Date(row.updated_at).toISOString();
  return { published, modified: updated > published ? updated : published };
}

/** Where a project's and an advisory's public pages and documents live. */
export function siteUrls(publicUrl: string) {
  const project = (slug: string) => `${publicUrl}/p/${encodeURIComponent(slug)}`;
  const advisory = (slug: string, advisoryId: string) =>
    `${project(slug)}/advisories/${encodeURIComponent(advisoryId)}`;
  return {
    home: `${publicUrl}/`,
    signIn: `${publicUrl}/sign-in`,
    feed: `${publicUrl}/advisories.atom`,
    index: `${publicUrl}/advisories.json`,
    osvAll: `${publicUrl}/osv/all.zip`,
    osvQuery: `${publicUrl}/osv/v1/query`,
    project,
    projectFiles: (slug: string) => ({
      page: project(slug),
      advisories: `${project(slug)}/advisories`,
      feed: `${project(slug)}/advisories.atom`,
      index: `${project(slug)}/advisories.json`,
      report: `${project(slug)}/report`,
      securityTxt: `${project(slug)}/security.txt`,
      securityMd: `${project(slug)}/SECURITY.md`,
      pgpKey: `${project(slug)}/pgp-key.asc`,
      distributorsApply: `${project(slug)}/distributors/apply`,
    }),
    advisory: (slug: string, advisoryId: string) => ({
      html: advisory(slug, advisoryId),
      json: `${advisory(slug, advisoryId)}.json`,
      osv: `${advisory(slug, advisoryId)}.osv.json`,
    }),
  };
}

export type SiteUrls = ReturnType<typeof siteUrls>;

/** The headline severity: the score of the newest CVSS version the team gave, or null. */
export function headlineSeverity(doc: AdvisoryDocument) {
  const top = overallSeverity(scoreVectors(doc));
  return top && { score: top.score, severity: top.severity, version: top.version, vector: top.normalized };
}

/** The OSV record of a published advisory (schema 1.7): with its CVE id, TLP:CLEAR. */
export function publicOsv(a: PublicAdvisory, project: PublicProject): OsvRecord {
  return toOsv(
    {
      advisoryId: a.advisoryId,
      state: 'published',
      cveId: a.cveId,
      createdAt: a.published,
      updatedAt: a.modified,
      publishedAt: a.published,
      document: a.document,
    },
    { project },
  );
}

/** One advisory in the JSON indexes. */
export function indexEntry(a: PublicAdvisory, urls: SiteUrls) {
  return {
    id: a.advisoryId,
    osvId: osvId(a.advisoryId),
    cveId: a.cveId,
    aliases: [...a.document.aliases],
    title: a.document.title,
    summary: a.document.summary,
    severity: headlineSeverity(a.document),
    published: a.published,
    modified: a.modified,
    project: { slug: a.projectSlug, name: a.projectName },
    urls: urls.advisory(a.projectSlug, a.advisoryId),
  };
}

export type IndexEntry = ReturnType<typeof indexEntry>;

/** `/p/{slug}/advisories/{id}.json`: Vigil's advisory document with its public metadata. */
export function publicDocument(a: PublicAdvisory, urls: SiteUrls) {
  return {
    /** This document's format and version: a reader can tell a change of shape. */
    format: 'vigil.public-advisory/1' as const,
    ...indexEntry(a, urls),
    state: 'published' as const,
    cvss: scoreVectors(a.document).map((s) => ({
      version: s.version,
      vector: s.normalized,
      score: s.score,
      severity: s.severity,
    })),
    patchedVersions: patchedVersions(a.document),
    document: a.document,
  };
}

/** The part of the advisory the page template reads. */
export function renderableOf(a: PublicAdvisory): RenderableAdvisory {
  const scored = scoreVectors(a.document);
  const top = overallSeverity(scored);
  const view = (s: (typeof scored)[number]) => ({
    vector: s.vector,
    version: s.version,
    score: s.score,
    severity: s.severity,
  });
  return {
    advisoryId: a.advisoryId,
    cveId: a.cveId,
    state: 'published',
    document: a.document,
    cvss: scored.map(view),
    severity: top && view(top),
    patchedVersions: patchedVersions(a.document),
  };
}
