/**
 * A published case's advisory as the outbound messages read it (the announcement, the webhooks,
 * the distributors' follow-up): public data only, and only once the advisory is published.
 */
import type { DbReader } from '../../../db/connection.js';
import type { CaseCipher } from '../../cases/case-view.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { currentAdvisoryDocument } from '../../advisory/advisory-record.js';
import type { AdvisoryRow } from '../../advisory/advisory.repo.js';
import type { AdvisoryDocument } from '../../advisory/advisory.schemas.js';
import type { RenderableAdvisory } from '../../advisory/render/render-context.js';
import { renderableAdvisory } from '../../advisory/render/renderable-advisory.js';
import type { PublishedAdvisoryEvent } from '../../webhooks/webhook-message.js';

/** The public page of an advisory (the public site serves it): `/p/{slug}/advisories/{advisoryId}`. */
export function publicAdvisoryUrl(publicUrl: string, slug: string, advisoryId: string): string {
  return `${publicUrl}/p/${encodeURIComponent(slug)}/advisories/${encodeURIComponent(advisoryId)}`;
}

export interface CaseAdvisory {
  c: casesRepo.CaseRow;
  project: ProjectContext;
  advisory: AdvisoryRow;
  document: AdvisoryDocument;
  /** The advisory's CVE id, decrypted (public only once the advisory is published). */
  cveId: string | null;
  renderable: RenderableAdvisory;
}

/** The case with its project and current advisory, whatever the advisory's state; undefined without one. */
export async function loadCaseAdvisory(
  db: DbReader,
  cipher: Pick<CaseCipher, 'decryptField'>,
  caseId: string,
): Promise<CaseAdvisory | undefined> {
  const c = await casesRepo.findCaseById(db, caseId);
  if (!c) return undefined;
  const current = await currentAdvisoryDocument(db, cipher, c.id);
  if (!current) return undefined;
  return {
    c,
    project: await projectContextById(db, c.project_id),
    advisory: current.advisory,
    document: current.document,
    cveId: current.cveId,
    renderable: renderableAdvisory(current.advisory, current.document, current.cveId),
  };
}

/** The same, only when the advisory is published: nothing of an unpublished one goes out. */
export async function loadPublishedAdvisory(
  db: DbReader,
  cipher: Pick<CaseCipher, 'decryptField'>,
  caseId: string,
): Promise<CaseAdvisory | undefined> {
  const found = await loadCaseAdvisory(db, cipher, caseId);
  return found?.advisory.state === 'published' ? found : undefined;
}

/** The webhooks' message about a published advisory: ids, title, summary, severity, URL, instant. */
export function publishedAdvisoryEvent(p: CaseAdvisory, publicUrl: string): PublishedAdvisoryEvent {
  const top = p.renderable.severity;
  return {
    event: 'advisory.published',
    project: { slug: p.project.slug, name: p.project.name },
    advisory: {
      id: p.advisory.advisory_id,
      cveId: p.cveId,
      title: p.document.title,
      summary: p.document.summary,
      severity: top && { score: top.score, severity: top.severity, vector: top.vector },
      url: publicAdvisoryUrl(publicUrl, p.project.slug, p.advisory.advisory_id),
      publishedAt: p.c.released_at ?? p.advisory.updated_at,
    },
  };
}
