/**
 * The advisory draft as a distributor may see it (PROCESS.md §7; the Contour checklist): what it is,
 * what is affected, the severity, workarounds and mitigations, but never the CVE id (leave the CVE
 * ID out), the references (a fix link or a CVE link would give it away), the other ids (aliases),
 * nor who found it (the credits, the reporter's identity). Pure. Text the team wrote that quotes
 * the CVE id or the reporter's identity is masked, so a slip in the draft does not leak through.
 */
import { renderMarkdownSafe } from '../../../lib/markdown.js';
import { overallSeverity, scoreVectors } from '../../advisory/advisory-severity.js';
import { patchedVersions, type AdvisoryDocument } from '../../advisory/advisory.schemas.js';
import { createCweCatalogue } from '../../cwe/cwe-catalogue.js';

/** What the team wants no distributor to read: the CVE id, the reporter's address and names, the credits. */
export interface WithheldWords {
  cveId: string | null;
  /** The reporter's email, name, handle, affiliation; the credited names and contacts. */
  identities: readonly string[];
}

export const CVE_MASK = '[CVE id withheld]';
export const IDENTITY_MASK = '[withheld]';

const cweCatalogue = createCweCatalogue();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Any CVE id, in any case and with any separators between its parts (`CVE-2026-1234`,
 * `cve_2026_1234`, `CVE 2026 1234`): the draft and the patches may name a CVE only once public.
 */
const anyCveId = () =>
  /(?<![\p{L}\p{N}])CVE[^\p{L}\p{N}\n]{0,3}\d{4}[^\p{L}\p{N}\n]{0,3}\d{4,19}(?!\p{N})/giu;

/** Replaces the case's CVE id and any other with `mask`. */
function replaceCveIds(text: string, cveId: string | null, mask: string): string {
  let out = text;
  if (cveId) out = out.replace(new RegExp(escapeRegExp(cveId), 'gi'), mask);
  return out.replace(anyCveId(), mask);
}

/**
 * Replaces each identity with `mask` (case-insensitive, white space inside it matching any run of
 * white space, so a folded line still matches); identities of fewer than 4 characters are left
 * alone, as they would mask ordinary words.
 */
function replaceIdentities(text: string, identities: readonly string[], mask: string): string {
  let out = text;
  const words = [...new Set(identities.map((w) => w.trim()).filter((w) => w.length >= 4))];
  // Longest first, so "Ada Lovelace" is masked whole before "Lovelace".
  for (const w of words.sort((a, b) => b.length - a.length)) {
    const body = w.split(/\s+/).map(escapeRegExp).join('\\s+');
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu'), mask);
  }
  return out;
}

/** Masks each withheld word in `text`: the CVE id (and any other), the identities. */
export function maskWithheld(text: string, withheld: WithheldWords): string {
  return replaceIdentities(replaceCveIds(text, withheld.cveId, CVE_MASK), withheld.identities, IDENTITY_MASK);
}

export type WithheldKind = 'cve-id' | 'identity';

/** Which kinds of withheld words `text` names, by the same rules as the masking (empty: none). */
export function withheldIn(text: string, withheld: WithheldWords): WithheldKind[] {
  const out: WithheldKind[] = [];
  if (replaceCveIds(text, withheld.cveId, '') !== text) out.push('cve-id');
  if (replaceIdentities(text, withheld.identities, '') !== text) out.push('identity');
  return out;
}

/** The identities a document's credits name (names and contacts). */
export function creditIdentities(doc: Pick<AdvisoryDocument, 'credits'>): string[] {
  return doc.credits.flatMap((c) => [c.name, ...(c.contact ?? [])]);
}

/** The distributors' view of an advisory draft. */
export function distributorAdvisoryView(
  advisory: { advisoryId: string; state: string },
  doc: AdvisoryDocument,
  withheld: WithheldWords,
) {
  const all: WithheldWords = {
    cveId: withheld.cveId,
    identities: [...withheld.identities, ...creditIdentities(doc)],
  };
  const mask = (s: string) => maskWithheld(s, all);
  const scored = scoreVectors(doc);
  const overall = overallSeverity(scored);
  const description = mask(doc.description);
  return {
    advisoryId: advisory.advisoryId,
    state: advisory.state,
    title: mask(doc.title),
    summary: mask(doc.summary),
    description,
    descriptionHtml: renderMarkdownSafe(description),
    workarounds: mask(doc.workarounds),
    mitigations: mask(doc.mitigations),
    amIVulnerable: mask(doc.amIVulnerable),
    affected: doc.affected.map((a) => ({
      ecosystem: a.ecosystem ?? null,
      package: a.package ?? null,
      purl: a.purl ?? null,
      ranges: a.ranges.map((r) => ({
        type: r.type,
        repo: r.repo ?? null,
        events: r.events.map((e) => {
          const [kind, value] = Object.entries(e)[0] ?? ['introduced', ''];
          return { kind, value: String(value) };
        }),
      })),
      versions: a.versions ?? [],
    })),
    patchedVersions: patchedVersions(doc),
    cvss: scored.map(({ vector, version, score, severity }) => ({ vector, version, score, severity })),
    severity: overall && {
      vector: overall.vector,
      version: overall.version,
      score: overall.score,
      severity: overall.severity,
    },
    cwes: doc.cwes.map((id) => ({
      id,
      name: cweCatalogue.isKnownCwe(id) ? cweCatalogue.getCwe(id).name : '',
    })),
  };
}

export type DistributorAdvisoryView = ReturnType<typeof distributorAdvisoryView>;
