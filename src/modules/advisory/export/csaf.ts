/**
 * CSAF 2.0 export (csaf_json_schema.json): the `csaf_security_advisory` profile for an advisory
 * (toCsaf), and the `csaf_vex` profile for products that are not affected (toCsafVex). Pure: the caller passes the
 * advisory, its revision list and the publisher.
 *
 * - TLP: CSAF 2.0 uses TLP v1 labels (`WHITE|GREEN|AMBER|RED`; TLP 2.0's `CLEAR` is CSAF 2.1), so a
 *   published advisory is `WHITE` (TLP:CLEAR's v1 name) and anything else `AMBER`, as the other
 *   exports mark it (`tlpOf`): a withdrawn or rejected draft was never public.
 * - The CVE id is private until publication (PROCESS.md §7): a draft carries no `cve`, and the id
 *   is withheld from its texts and reference URLs.
 * - CVSS v4.0 has no place in CSAF 2.0 (`scores` knows `cvss_v2` and `cvss_v3` only): left out.
 * - CSAF 2.0 takes one CWE per vulnerability: the first; the others are named in a note.
 * - The document's other ids (GHSA, PYSEC...) are `ids` entries beside the Vigil advisory id, in
 *   drafts too: they are public, and never a CVE id (the document refuses those).
 */
import { ValidationError } from '../../../lib/errors.js';
import { parseCvss } from '../../../lib/cvss/vector-parser.js';
import { createCweCatalogue } from '../../cwe/cwe-catalogue.js';
import { packageOf, repositoryName, repositoryOf, type AdvisoryDocument } from '../advisory.schemas.js';
import { asciiUri, cvssJson, type ExportableAdvisory } from './cve5.js';

type Json = Record<string, unknown>;

export interface CsafContext {
  publisher: { name: string; namespace: string; category?: 'vendor' | 'coordinator' | 'other' };
  /** The vendor branch of the product tree (the project's name). */
  vendor: string;
  generator: { name: string; version: string };
  /** When the document is generated (ISO 8601). */
  generatedAt: string;
  /** Every revision of the advisory, as the service lists them: one revision history entry each. */
  revisions: { revision: number; createdAt: string; summary?: string | undefined }[];
}

const cwes = createCweCatalogue();
const WITHHELD = '[CVE id withheld until publication]';
const TLP_URL = 'https://www.first.org/tlp/';

/** Product ids per role, collected while the product tree is built. */
interface Products {
  branches: Json[];
  affected: string[];
  fixed: string[];
  /** Per affected package with a fix (versions, or commits without a package): a vendor_fix remediation. */
  fixes: { ids: string[]; details: string }[];
}

/**
 * The CSAF 2.0 security advisory of an advisory. Throws ValidationError when the advisory lists
 * no affected product (the profile requires a product tree), or when the revision list does not
 * end at the advisory's current revision (the history must match `version`).
 */
export function toCsaf(advisory: ExportableAdvisory, context: CsafContext): Json {
  const scrub = withholdCve(advisory);
  const doc = advisory.document;
  requireProducts(advisory, 'a CSAF security advisory needs at least one affected product');
  const products = productTree(doc, context.vendor);
  const vulnerability = vulnerabilityHead(advisory, scrub);
  const status: Json = {};
  if (products.affected.length > 0) status.known_affected = products.affected;
  if (products.fixed.length > 0) status.fixed = products.fixed;
  if (Object.keys(status).length > 0) vulnerability.product_status = status;
  const remediations = remediationsOf(doc, products, scrub);
  if (remediations.length > 0) vulnerability.remediations = remediations;
  const scores = scoresOf(doc, products.affected);
  if (scores.length > 0) vulnerability.scores = scores;
  return {
    document: documentOf(advisory, context, 'csaf_security_advisory', scrub),
    product_tree: { branches: products.branches },
    vulnerabilities: [{ ...vulnerability, ...vulnerabilityTail(advisory) }],
  };
}

/** CSAF 2.0's VEX justifications for a product that is not affected (the `flags` labels). */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'inline_mitigations_already_exist',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_not_present',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/**
 * A CSAF 2.0 VEX document saying the advisory's listed products (every range, version and fixed
 * version of `document.affected`) are NOT affected: `known_not_affected`, with the justification
 * flag and the impact statement the profile requires. The vulnerability is named by the CVE once
 * published and always by the Vigil advisory id (`ids`). Same refusals as toCsaf.
 */
export function toCsafVex(
  advisory: ExportableAdvisory,
  context: CsafContext,
  statement: { justification: VexJustification; impact: string },
): Json {
  const scrub = withholdCve(advisory);
  requireProducts(advisory, 'a VEX document needs at least one product that is not affected');
  if (!statement.impact.trim()) {
    throw new ValidationError('A VEX statement needs the impact statement.', [
      { path: 'impact', message: 'say why the products are not affected' },
    ]);
  }
  const products = productTree(advisory.document, context.vendor);
  const ids = [...products.affected, ...products.fixed];
  return {
    document: documentOf(advisory, context, 'csaf_vex', scrub),
    product_tree: { branches: products.branches },
    vulnerabilities: [
      {
        ...vulnerabilityHead(advisory, scrub),
        product_status: { known_not_affected: ids },
        flags: [{ label: statement.justification, product_ids: ids }],
        threats: [{ category: 'impact', details: scrub(statement.impact.trim()), product_ids: ids }],
        ...vulnerabilityTail(advisory),
      },
    ],
  };
}

function requireProducts(advisory: ExportableAdvisory, message: string): void {
  if (advisory.document.affected.length > 0) return;
  throw new ValidationError(
    `Advisory ${advisory.advisoryId} cannot be exported as CSAF yet: document.affected.`,
    [{ path: 'document.affected', message }],
  );
}

/** cve (published only), ids (the Vigil advisory id, then the document's aliases), title, cwe and notes. */
function vulnerabilityHead(advisory: ExportableAdvisory, scrub: (text: string) => string): Json {
  const doc = advisory.document;
  const cve = advisory.state === 'published' ? advisory.cveId : null;
  return {
    ...(cve ? { cve } : {}),
    ids: [
      { system_name: 'Vigil advisory', text: advisory.advisoryId },
      ...doc.aliases.map((id) => ({ system_name: aliasSystem(id), text: id })),
    ],
    title: scrub(doc.title),
    ...cweOf(doc),
    notes: vulnerabilityNotes(doc, scrub),
  };
}

/** The tracking system of another id, told by its prefix: GHSA-... is GitHub's, PYSEC-... 'PYSEC'. */
export function aliasSystem(id: string): string {
  const prefix = id.split('-')[0] ?? id;
  return prefix.toUpperCase() === 'GHSA' ? 'GitHub Security Advisory' : prefix;
}

/** references (a draft's URLs naming its private CVE id left out) and acknowledgments. */
function vulnerabilityTail(advisory: ExportableAdvisory): Json {
  const doc = advisory.document;
  const cveId = advisory.cveId;
  const out: Json = {};
  const references = uniqueUrls(doc.references.map((r) => r.url))
    .filter((url) => advisory.state === 'published' || !cveId || !url.includes(cveId))
    .map((url) => ({ category: 'external', summary: referenceSummary(doc, url), url }));
  if (references.length > 0) out.references = references;
  if (doc.credits.length > 0) {
    out.acknowledgments = doc.credits.map((c) => ({
      names: [c.name],
      summary: c.type.toLowerCase().replace(/_/g, ' '),
    }));
  }
  return out;
}

function documentOf(
  advisory: ExportableAdvisory,
  context: CsafContext,
  category: 'csaf_security_advisory' | 'csaf_vex',
  scrub: (text: string) => string,
): Json {
  const published = advisory.state === 'published';
  const revisions = [...context.revisions].sort((a, b) => a.revision - b.revision);
  const first = revisions[0];
  const last = revisions.at(-1);
  if (!first || !last || last.revision !== advisory.revision) {
    throw new ValidationError(
      `Advisory ${advisory.advisoryId}: the CSAF revision history needs every revision up to ${advisory.revision}.`,
      [{ path: 'revisions', message: `must list revisions 1 to ${advisory.revision}` }],
    );
  }
  const doc = advisory.document;
  const notes: Json[] = [];
  if (doc.summary.trim()) notes.push({ category: 'summary', title: 'Summary', text: scrub(doc.summary) });
  if (doc.description.trim()) {
    notes.push({ category: 'description', title: 'Description', text: scrub(doc.description) });
  }
  if (doc.workarounds.trim()) {
    notes.push({ category: 'general', title: 'Workarounds', text: scrub(doc.workarounds) });
  }
  if (doc.amIVulnerable.trim()) {
    notes.push({ category: 'faq', title: 'Am I vulnerable?', text: scrub(doc.amIVulnerable) });
  }
  if (advisory.state === 'withdrawn' || advisory.state === 'rejected') {
    notes.push({
      category: 'general',
      title: advisory.state === 'withdrawn' ? 'Withdrawn' : 'Rejected',
      text: scrub(advisory.stateReason?.trim() || `This advisory was ${advisory.state}.`),
    });
  }
  return {
    category,
    csaf_version: '2.0',
    lang: 'en',
    title: scrub(doc.title),
    publisher: {
      category: context.publisher.category ?? 'vendor',
      name: context.publisher.name,
      namespace: asciiUri(context.publisher.namespace),
    },
    distribution: published
      ? { tlp: { label: 'WHITE', url: TLP_URL } }
      : {
          text: 'Not public: share only with those who need to know, under the embargo policy.',
          tlp: { label: 'AMBER', url: TLP_URL },
        },
    ...(notes.length > 0 ? { notes } : {}),
    tracking: {
      id: advisory.advisoryId,
      status: advisory.state === 'draft' ? 'draft' : 'final',
      version: String(advisory.revision),
      revision_history: revisions.map((r) => ({
        number: String(r.revision),
        date: r.createdAt,
        summary: r.summary?.trim() || (r.revision === 1 ? 'Initial version.' : `Revision ${r.revision}.`),
      })),
      initial_release_date: first.createdAt,
      current_release_date: last.createdAt,
      generator: {
        date: context.generatedAt,
        engine: { name: context.generator.name, version: context.generator.version },
      },
    },
  };
}

type Affected = AdvisoryDocument['affected'][number];
type Range = Affected['ranges'][number];

/** vendor → product_name → product_version_range (affected) / product_version (affected or fixed). */
function productTree(doc: AdvisoryDocument, vendor: string): Products {
  const out: Products = { branches: [], affected: [], fixed: [], fixes: [] };
  let n = 0;
  const product = (name: string, helper: Json | undefined) => {
    n += 1;
    const id = `CSAFPID-${String(n).padStart(4, '0')}`;
    return {
      id,
      product: { name, product_id: id, ...(helper ? { product_identification_helper: helper } : {}) },
    };
  };
  const byPackage = doc.affected.map((a) => {
    const pkg = packageOf(a);
    // An entry without a package is the product its repository names: graylog2/graylog2-server.
    const repo = repositoryOf(a);
    const repoName = repo ? repositoryName(repo) : 'unnamed repository';
    const label = `${vendor} ${pkg?.package ?? repoName}`;
    const helper = a.purl ? { purl: a.purl } : undefined;
    const ids: string[] = [];
    const children: Json[] = [];
    for (const r of a.ranges) {
      for (const name of rangeNames(r, pkg?.ecosystem ?? '')) {
        const p = product(`${label} ${name}`, helper);
        ids.push(p.id);
        children.push({ category: 'product_version_range', name, product: p.product });
      }
    }
    for (const v of a.versions ?? []) {
      const p = product(`${label} ${v}`, helper);
      ids.push(p.id);
      children.push({ category: 'product_version', name: v, product: p.product });
    }
    const fixedVersions = [
      ...new Set(
        a.ranges
          .filter((r) => r.type !== 'GIT')
          .flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []))),
      ),
    ];
    for (const v of fixedVersions) {
      const p = product(`${label} ${v}`, helper);
      out.fixed.push(p.id);
      children.push({ category: 'product_version', name: v, product: p.product });
    }
    const name = !pkg
      ? `${repoName} (git)`
      : pkg.ecosystem === pkg.package
        ? pkg.package
        : `${pkg.package} (${pkg.ecosystem})`;
    if (children.length === 0) {
      // Nothing narrower is known: the whole package is listed as affected.
      const p = product(label, helper);
      ids.push(p.id);
      out.affected.push(...ids);
      return { category: 'product_name', name, product: p.product };
    }
    out.affected.push(...ids);
    if (pkg && fixedVersions.length > 0) {
      out.fixes.push({ ids, details: `Upgrade ${pkg.package} to ${fixedVersions.join(' or ')} or later.` });
    }
    const commits = pkg ? [] : fixedCommits(a);
    if (commits.length > 0) {
      out.fixes.push({
        ids,
        details: `Update ${repoName} to a revision that includes commit ${commits.join(' or ')}.`,
      });
    }
    return { category: 'product_name', name, branches: children };
  });
  if (byPackage.length > 0) out.branches.push({ category: 'vendor', name: vendor, branches: byPackage });
  return out;
}

/** The fixed commits of an entry's GIT ranges, each once. */
function fixedCommits(a: Affected): string[] {
  const git = a.ranges.filter((r) => r.type === 'GIT');
  return [...new Set(git.flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []))))];
}

/** vers schemes of OSV ecosystems (the vers spec's list); anything else is `generic`. */
const VERS_SCHEMES: Readonly<Record<string, string>> = {
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  'crates.io': 'cargo',
  Maven: 'maven',
  RubyGems: 'gem',
  NuGet: 'nuget',
  Packagist: 'composer',
  Debian: 'deb',
  Ubuntu: 'deb',
  Alpine: 'alpine',
  Hex: 'hex',
  Pub: 'pub',
};

/**
 * Each affected segment of a range as a product_version_range name: a `vers:` string for SEMVER
 * and ECOSYSTEM ranges; commits have no order vers can express, so a GIT range is described.
 */
function rangeNames(r: Range, ecosystem: string): string[] {
  const segments: { from: string; to?: { op: '<' | '<='; v: string } }[] = [];
  let start: string | undefined;
  // Commits have no order across branches: in a GIT range each end after one introduced is its own
  // segment (`introduced: 0, fixed: A, fixed: B` is a fix on two branches).
  let closed: string | undefined;
  for (const e of r.events) {
    if ('introduced' in e) {
      if (start !== undefined) segments.push({ from: start });
      start = e.introduced;
      closed = undefined;
      continue;
    }
    const from = start ?? (r.type === 'GIT' ? closed : undefined);
    if (from === undefined) continue;
    const to =
      'fixed' in e
        ? { op: '<' as const, v: e.fixed }
        : 'limit' in e
          ? { op: '<' as const, v: e.limit }
          : { op: '<=' as const, v: e.last_affected };
    segments.push({ from, to });
    closed = from;
    start = undefined;
  }
  if (start !== undefined) segments.push({ from: start });
  if (r.type === 'GIT') {
    return segments.map(
      (s) =>
        `commits of ${r.repo ?? 'the repository'} from ${s.from}` +
        (s.to ? (s.to.op === '<' ? ` up to ${s.to.v} (excluded)` : ` through ${s.to.v}`) : ' on'),
    );
  }
  const scheme = r.type === 'SEMVER' ? 'semver' : (VERS_SCHEMES[ecosystem.split(':')[0] ?? ''] ?? 'generic');
  return segments.map((s) => {
    const constraints = [
      ...(s.from === '0' ? [] : [`>=${s.from}`]),
      ...(s.to ? [`${s.to.op}${s.to.v}`] : []),
    ];
    return `vers:${scheme}/${constraints.length > 0 ? constraints.join('|') : '*'}`;
  });
}

function cweOf(doc: AdvisoryDocument): Json {
  const [first] = doc.cwes;
  if (!first) return {};
  const c = cwes.getCwe(first);
  return { cwe: { id: c.id, name: c.name } };
}

function vulnerabilityNotes(doc: AdvisoryDocument, scrub: (text: string) => string): Json[] {
  const notes: Json[] = [];
  if (doc.description.trim()) {
    notes.push({ category: 'description', title: 'Description', text: scrub(doc.description) });
  }
  if (doc.summary.trim()) notes.push({ category: 'summary', title: 'Summary', text: scrub(doc.summary) });
  // The profile requires a note on each vulnerability (CSAF 2.0 6.1.27.5): the title at least.
  if (notes.length === 0) notes.push({ category: 'summary', title: 'Summary', text: scrub(doc.title) });
  const others = doc.cwes.slice(1).map((id) => {
    const c = cwes.getCwe(id);
    return `${c.id}: ${c.name}`;
  });
  if (others.length > 0) {
    notes.push({ category: 'other', title: 'Further weaknesses (CWE)', text: others.join('\n') });
  }
  return notes;
}

function remediationsOf(doc: AdvisoryDocument, products: Products, scrub: (text: string) => string): Json[] {
  const out: Json[] = products.fixes.map((f) => ({
    category: 'vendor_fix',
    details: f.details,
    product_ids: f.ids,
  }));
  if (products.affected.length > 0) {
    if (doc.workarounds.trim()) {
      out.push({ category: 'workaround', details: scrub(doc.workarounds), product_ids: products.affected });
    }
    if (doc.mitigations.trim()) {
      out.push({ category: 'mitigation', details: scrub(doc.mitigations), product_ids: products.affected });
    }
  }
  return out;
}

/** cvss_v3 (3.0, 3.1) and cvss_v2 objects as FIRST's schemas define them; v4.0 has no place here. */
function scoresOf(doc: AdvisoryDocument, affected: string[]): Json[] {
  if (affected.length === 0) return [];
  return doc.severity.cvss.flatMap(({ vector }) => {
    const version = parseCvss(vector).version;
    if (version === '4.0') return [];
    return [{ products: affected, [version === '2.0' ? 'cvss_v2' : 'cvss_v3']: cvssJson(vector) }];
  });
}

function referenceSummary(doc: AdvisoryDocument, url: string): string {
  const type = doc.references.find((r) => asciiUri(r.url) === url)?.type ?? 'WEB';
  return `${type.charAt(0)}${type.slice(1).toLowerCase()} reference`;
}

function uniqueUrls(urls: string[]): string[] {
  return [...new Set(urls.map(asciiUri))];
}

/** Until publication, the private CVE id is replaced in every text taken from the record. */
function withholdCve(advisory: ExportableAdvisory): (text: string) => string {
  const id = advisory.cveId;
  if (advisory.state === 'published' || !id) return (text) => text;
  return (text) => text.split(id).join(WITHHELD);
}
