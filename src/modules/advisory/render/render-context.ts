/**
 * What an advisory render template sees: a plain-data context built from the advisory record and
 * its project (no functions, so a logic-less template can only print and loop), the fields each
 * template requires, and the documented variables. The distributors' context never holds the CVE
 * id nor the references (PROCESS.md §7: the early notice leaves the CVE ID out); the other ids of
 * the vulnerability (`aliases`) are in the announcement's and the page's only.
 */
import type { FieldIssue } from '../../../lib/errors.js';
import { formatInstant } from '../../../lib/format-instant.js';
import { renderMarkdownSafe } from '../../../lib/markdown.js';
import { createCweCatalogue } from '../../cwe/cwe-catalogue.js';
import type { Policy } from '../../policy/policy.schema.js';
import {
  packageOf,
  repositoryName,
  repositoryOf,
  type AdvisoryDocument,
  type AffectedEntry,
} from '../advisory.schemas.js';
import { ownValue } from '../../../lib/own-key.js';

export const TEMPLATE_NAMES = ['announcement', 'distributors', 'fix-coming', 'page'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The part of the advisory view (`getAdvisory`) a render reads. */
export interface RenderableAdvisory {
  advisoryId: string;
  cveId: string | null;
  state: string;
  document: AdvisoryDocument;
  cvss: { vector: string; version: string; score: number; severity: string }[];
  severity: { vector: string; version: string; score: number; severity: string } | null;
  patchedVersions: { ecosystem: string; package: string; versions: string[] }[];
}

/** The part of the project a render reads. */
export interface RenderableProject {
  slug: string;
  name: string;
  policy: Pick<Policy, 'project' | 'contacts' | 'disclosure' | 'timeZone'>;
}

type Range = AdvisoryDocument['affected'][number]['ranges'][number];

/** A commit as people write it in text: its first 7 hex digits. */
const shortCommit = (sha: string) => sha.slice(0, 7);

/**
 * GIT range segments in words, one per `introduced`: "from the first commit, fixed in 466af81 and
 * a101f4f" (several fixed commits after one introduced are fixes on several branches).
 */
function describeCommits(range: Range): string[] {
  const segments: { from: string; ends: Map<string, string[]> }[] = [];
  for (const e of range.events) {
    const [kind, value] = Object.entries(e)[0] ?? ['', ''];
    if (kind === 'introduced') {
      segments.push({
        from: value === '0' ? 'from the first commit' : `from commit ${shortCommit(value)}`,
        ends: new Map(),
      });
      continue;
    }
    const current = segments[segments.length - 1];
    if (!current) continue;
    current.ends.set(kind, [...(current.ends.get(kind) ?? []), shortCommit(value)]);
  }
  const words: Record<string, string> = {
    fixed: 'fixed in',
    limit: 'up to',
    last_affected: 'last affected in',
  };
  return segments.map(({ from, ends }) => {
    if (ends.size === 0) return `${from} on, not fixed yet`;
    const parts = [...ends].map(
      ([kind, commits]) => `${ownValue(words, kind) ?? kind} ${commits.join(' and ')}`,
    );
    return `${from}, ${parts.join(', ')}`;
  });
}

/** Human-readable intervals of one OSV range: `>= 1.2.0, < 1.2.5`; GIT ranges in commits. */
export function describeRange(range: Range): string[] {
  if (range.type === 'GIT') return describeCommits(range);
  const out: string[] = [];
  let lower: string | undefined;
  let open = false;
  for (const e of range.events) {
    if ('introduced' in e) {
      if (open) out.push(lower ?? 'all versions');
      lower = e.introduced === '0' ? undefined : `>= ${e.introduced}`;
      open = true;
      continue;
    }
    const upper = 'fixed' in e ? `< ${e.fixed}` : 'limit' in e ? `< ${e.limit}` : `<= ${e.last_affected}`;
    out.push(lower ? `${lower}, ${upper}` : upper);
    open = false;
    lower = undefined;
  }
  if (open) out.push(lower ?? 'all versions');
  return out;
}

const SEVERITY_LABELS: Record<string, string> = {
  none: 'None',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
const ATTACK_VECTORS: Record<string, string> = {
  N: 'Network',
  A: 'Adjacent network',
  L: 'Local',
  P: 'Physical',
};
const CREDIT_LABELS: Record<string, string> = {
  FINDER: 'finder',
  REPORTER: 'reporter',
  ANALYST: 'analyst',
  COORDINATOR: 'coordinator',
  REMEDIATION_DEVELOPER: 'fix developer',
  REMEDIATION_REVIEWER: 'fix reviewer',
  REMEDIATION_VERIFIER: 'fix verifier',
  TOOL: 'tool',
  SPONSOR: 'sponsor',
  OTHER: 'other',
};

/** Markdown made readable as plain text: `[text](url)` becomes `text <url>`; the rest reads as written. */
export function markdownToText(markdown: string): string {
  return markdown.replace(/\[([^\]\n]{1,500})\]\((https?:\/\/[^\s)]{1,2000})\)/g, '$1 <$2>').trim();
}

/** `releaseAt` in the forms templates print: ISO, date, UTC, in words, and in the project's time zone. */
export function releaseAtView(iso: string, timeZone: string) {
  const at = new Date(iso);
  const date = at.toISOString().slice(0, 10);
  const hhmm = at.toISOString().slice(11, 16);
  return {
    iso: at.toISOString(),
    date,
    utc: `${date} ${hhmm} UTC`,
    words: `${formatInstant(at, 'UTC', 'long-date')} at ${hhmm} UTC`,
    local: formatInstant(at, timeZone, 'long'),
  };
}

/** The embargo note appended to the distributors' mail: the project's policy text, or the Contour checklist's. */
export function embargoNoteOf(project: RenderableProject): string {
  const own = project.policy.disclosure.distributorsList.embargoPolicy;
  if (own) return markdownToText(own);
  const team = project.policy.contacts.securityTeam;
  const list = project.policy.disclosure.distributorsList.name ?? `${project.name} Distributors mailing list`;
  const teamRef = team.email ? `${team.name} <${team.email}>` : team.name;
  // The embargo note of Contour's security response checklist (seeds/004), with this project's names.
  return [
    `The information that members receive on the ${list} must not be made public, shared, or even hinted at anywhere beyond those who need to know within your specific team, unless you receive explicit approval to do so from the ${team.name}. This remains true until the public disclosure date/time agreed upon by the list. Members of the list and others cannot use the information for any reason other than to get the issue fixed for your respective distribution's users.`,
    `Before you share any information from the list with members of your team who are required to fix the issue, these team members must agree to the same terms, and only be provided with information on a need-to-know basis.`,
    '',
    `In the unfortunate event that you share information beyond what is permitted by this policy, you must urgently inform the ${teamRef} of exactly what information was leaked and to whom. If you continue to leak information and break the policy outlined here, you will be permanently removed from the list.`,
  ].join('\n');
}

const cweCatalogue = createCweCatalogue();

function cweName(id: string): string {
  return cweCatalogue.isKnownCwe(id) ? cweCatalogue.getCwe(id).name : '';
}

/**
 * One affected entry as templates print it. An entry known only by its repository (GIT ranges, no
 * package) reads as `graylog2/graylog2-server` of ecosystem `git`, so that `{{package}}
 * ({{ecosystem}})` still reads well, and its fixed commits stand for fixed versions.
 */
function affectedView(a: AffectedEntry) {
  const ranges = a.ranges.flatMap(describeRange);
  if (a.versions?.length) ranges.push(`versions ${a.versions.join(', ')}`);
  const pkg = packageOf(a);
  const repo = repositoryOf(a);
  const ecosystem = pkg?.ecosystem ?? 'git';
  const name = pkg?.package ?? (repo ? repositoryName(repo) : 'unnamed repository');
  // As patchedVersions derives them: fixed versions from version ranges; commits only without a package.
  const fixed = [
    ...new Set(
      a.ranges
        .filter((r) => (pkg ? r.type !== 'GIT' : r.type === 'GIT'))
        .flatMap((r) =>
          r.events.flatMap((e) => ('fixed' in e ? [pkg ? e.fixed : `commit ${shortCommit(e.fixed)}`] : [])),
        ),
    ),
  ];
  return {
    ecosystem,
    package: name,
    name: `${name} (${ecosystem})`,
    repo: repo ?? '',
    purl: a.purl ?? null,
    ranges: ranges.map((r) => ({ text: r })),
    rangesText: ranges.join('; ') || 'unspecified versions',
    fixedText: fixed.join(', ') || 'none yet',
  };
}

const scoreText = (score: number) => score.toFixed(1);
const label = (severity: string) => ownValue(SEVERITY_LABELS, severity) ?? severity;

/** The project as templates name it: its links, the security team and the distributors' list. */
function projectView(project: RenderableProject) {
  const team = project.policy.contacts.securityTeam;
  const list = project.policy.disclosure.distributorsList;
  return {
    name: project.name,
    slug: project.slug,
    repositoryUrl: project.policy.project.repositoryUrl,
    advisoriesUrl: project.policy.project.advisoriesUrl,
    securityTeam: { name: team.name, email: team.email },
    distributorsList: { name: list.name, email: list.email },
  };
}

/** The document's Markdown sections: as plain text for mail (as written for the page), and as safe HTML. */
function sectionsView(doc: AdvisoryDocument, forMail: boolean) {
  const text = (md: string) => (forMail ? markdownToText(md) : md.trim());
  return {
    description: text(doc.description),
    descriptionHtml: renderMarkdownSafe(doc.description),
    workarounds: text(doc.workarounds),
    workaroundsHtml: renderMarkdownSafe(doc.workarounds),
    mitigations: text(doc.mitigations),
    mitigationsHtml: renderMarkdownSafe(doc.mitigations),
    amIVulnerable: text(doc.amIVulnerable),
    amIVulnerableHtml: renderMarkdownSafe(doc.amIVulnerable),
    hasMitigations: doc.mitigations.trim() !== '' || doc.workarounds.trim() !== '',
  };
}

/** The fixed versions per package, and every version to upgrade to. */
function patchedView(advisory: RenderableAdvisory) {
  const patched = advisory.patchedVersions.filter((p) => p.versions.length > 0);
  const upgrade = [...new Set(patched.flatMap((p) => p.versions))];
  return {
    patchedVersions: patched.map((p) => ({
      ecosystem: p.ecosystem,
      package: p.package,
      versionsText: p.versions.join(', '),
    })),
    upgradeVersions: upgrade.join(', '),
  };
}

/** The CVSS scores, the headline severity and its attack vector in words. */
function scoresView(advisory: RenderableAdvisory) {
  const top = advisory.severity;
  const attack = top ? /(?:^|\/)AV:([NALP])(?:\/|$)/.exec(top.vector)?.[1] : undefined;
  return {
    cvss: advisory.cvss.map((c) => ({
      vector: c.vector,
      version: c.version,
      score: scoreText(c.score),
      severity: c.severity,
      label: label(c.severity),
    })),
    hasCvss: advisory.cvss.length > 0,
    severity: top && {
      vector: top.vector,
      version: top.version,
      score: scoreText(top.score),
      severity: top.severity,
      label: label(top.severity),
    },
    attackVector: attack ? (ownValue(ATTACK_VECTORS, attack) ?? null) : null,
  };
}

/** The render context of `advisory` for template `name`; `releaseAt` is an ISO-8601 datetime or absent. */
export function buildRenderContext(
  name: TemplateName,
  advisory: RenderableAdvisory,
  project: RenderableProject,
  releaseAt?: string,
) {
  const doc = advisory.document;
  const credits = doc.credits.map((c) => ({
    name: c.name,
    type: c.type,
    typeLabel: ownValue(CREDIT_LABELS, c.type) ?? c.type,
  }));
  const common = {
    project: projectView(project),
    advisoryId: advisory.advisoryId,
    state: advisory.state,
    title: doc.title,
    summary: doc.summary,
    ...sectionsView(doc, name !== 'page'),
    affected: doc.affected.map(affectedView),
    ...patchedView(advisory),
    ...scoresView(advisory),
    cwes: doc.cwes.map((id) => ({ id, name: cweName(id) })),
    hasCwes: doc.cwes.length > 0,
    credits,
    hasCredits: credits.length > 0,
    releaseAt: releaseAt ? releaseAtView(releaseAt, project.policy.timeZone) : null,
    embargoNote: embargoNoteOf(project),
  };
  if (name === 'distributors') {
    // No CVE id and no references (a fix PR or a CVE link would give the issue away): PROCESS.md §7.
    return { ...common, identifier: advisory.advisoryId };
  }
  const full = {
    ...common,
    cveId: advisory.cveId,
    identifier: advisory.cveId ?? advisory.advisoryId,
    references: doc.references.map((r) => ({ type: r.type, url: r.url })),
    hasReferences: doc.references.length > 0,
  };
  if (name === 'fix-coming') return full;
  // The public messages name the other ids (GHSA, PYSEC...) readers may know the issue by.
  return {
    ...full,
    aliases: doc.aliases.map((id) => ({ id })),
    aliasesText: doc.aliases.join(', '),
    hasAliases: doc.aliases.length > 0,
  };
}

export type RenderContext = ReturnType<typeof buildRenderContext>;

/**
 * What each template cannot render without. The two mails that tell their readers what to do
 * until the fix (distributors, fix-coming) require workarounds and mitigations alike, as a pair:
 * at least one of the two (each means its own thing: see REMEDY_MEANINGS), "None known." allowed.
 */
const REQUIRED: Record<TemplateName, readonly string[]> = {
  announcement: ['document.summary', 'document.severity.cvss', 'document.affected'],
  distributors: [
    'document.description',
    'document.affected',
    'document.workarounds',
    'document.mitigations',
    'releaseAt',
  ],
  'fix-coming': ['releaseAt', 'document.workarounds', 'document.mitigations'],
  page: ['document.summary', 'document.description', 'document.affected'],
};

/** The fields template `name` cannot render without. */
export function requiredFieldsOf(name: TemplateName): string[] {
  return [...REQUIRED[name]];
}

/** One issue per required field of template `name` that the advisory (or the render) lacks. */
export function missingFields(
  name: TemplateName,
  advisory: RenderableAdvisory,
  releaseAt: string | undefined,
): FieldIssue[] {
  const doc = advisory.document;
  const by = `is required by the ${name} template`;
  // The announcement and the distributors' "next steps" name the patch releases: a fixed version.
  const needsFix = name === 'announcement' || name === 'distributors';
  const present: Record<string, () => string | null> = {
    'document.summary': () => (doc.summary.trim() ? null : by),
    'document.description': () => (doc.description.trim() ? null : by),
    // The pair: either one answers both (each is shown under its own words, "None known." for the other).
    'document.workarounds': () => remedyMissing(doc, by),
    'document.mitigations': () => remedyMissing(doc, by),
    'document.severity.cvss': () => (doc.severity.cvss.length > 0 ? null : `a CVSS vector ${by}`),
    'document.affected': () => {
      if (doc.affected.length === 0) return `an affected package ${by}`;
      if (needsFix && !advisory.patchedVersions.some((p) => p.versions.length > 0) && !hasFixedCommit(doc))
        return `a fixed version (the patch release), or a fixed commit, ${by}`;
      return null;
    },
    releaseAt: () => (releaseAt ? null : `the release date and time ${by}`),
  };
  return REQUIRED[name].flatMap((path) => {
    const message = present[path]?.() ?? null;
    return message ? [{ path, message }] : [];
  });
}

/**
 * What workarounds and mitigations mean (CSAF 2.0's `workaround` and `mitigation` remediations),
 * as the editor's help and the template variables say it.
 */
export const REMEDY_MEANINGS = {
  workarounds:
    'Workarounds: how to avoid the vulnerable code until the upgrade (turn the feature off, do not use the option): exposure is removed.',
  mitigations:
    'Mitigations: what reduces the risk or the impact without removing the vulnerability (restrict network access, lower privileges).',
} as const;

/** The message for the workarounds/mitigations pair when both are empty, else null. */
function remedyMissing(doc: AdvisoryDocument, by: string): string | null {
  if (doc.workarounds.trim() || doc.mitigations.trim()) return null;
  return `workarounds or mitigations (at least one) ${by}: write "None known." in workarounds when there is none`;
}

/** True when an entry known only by its repository names a fixed commit (its kind of patch release). */
function hasFixedCommit(doc: AdvisoryDocument): boolean {
  return doc.affected.some((a) => !packageOf(a) && a.ranges.some((r) => r.events.some((e) => 'fixed' in e)));
}

const COMMON_VARIABLES: readonly (readonly [string, string])[] = [
  ['project.name', "The project's name."],
  ['project.slug', "The project's slug."],
  ['project.repositoryUrl', "The project's repository URL, or empty."],
  ['project.advisoriesUrl', 'Where the project publishes advisories, or empty.'],
  ['project.securityTeam.name', "The security team's name (the policy's contacts)."],
  ['project.securityTeam.email', "The security team's address, or empty."],
  ['project.distributorsList.name', "The distributors list's name, or empty."],
  ['project.distributorsList.email', "The distributors list's address, or empty."],
  ['advisoryId', "Vigil's advisory id (PRJ-ADV-2026-0001)."],
  [
    'identifier',
    'The CVE id when there is one, else the advisory id (distributors: always the advisory id).',
  ],
  ['state', 'The advisory state: draft, published, withdrawn or rejected.'],
  ['title', 'The title.'],
  ['summary', 'The one-line summary.'],
  ['description', 'The description (Markdown; in mail, links written as text <url>).'],
  ['descriptionHtml', 'The description rendered as sanitised HTML (use triple braces in the page).'],
  ['workarounds', `${REMEDY_MEANINGS.workarounds} (Markdown)`],
  ['workaroundsHtml', 'The workarounds as sanitised HTML.'],
  ['mitigations', `${REMEDY_MEANINGS.mitigations} (Markdown)`],
  ['mitigationsHtml', 'The mitigations as sanitised HTML.'],
  ['amIVulnerable', 'The "Am I vulnerable?" text (Markdown).'],
  ['amIVulnerableHtml', 'The "Am I vulnerable?" text as sanitised HTML.'],
  ['hasMitigations', 'True when there are mitigations or workarounds.'],
  [
    'affected',
    'The affected packages (a list); an entry without a package is its git repository (ecosystem git).',
  ],
  ['affected.ecosystem', 'Its ecosystem (Go, npm, ...), or git for a repository without a package.'],
  ['affected.package', 'Its package name, or the repository as owner/name (graylog2/graylog2-server).'],
  ['affected.name', 'Package and ecosystem together: contour (Go), graylog2/graylog2-server (git).'],
  ['affected.repo', 'The repository URL of its GIT ranges, or empty.'],
  ['affected.purl', 'Its Package URL, or empty.'],
  ['affected.ranges', 'Its affected version ranges (a list of {text}).'],
  [
    'affected.ranges.text',
    'One range in words: >= 1.2.0, < 1.2.5 (commits: from the first commit, fixed in 466af81).',
  ],
  ['affected.rangesText', 'All its ranges, separated by semicolons.'],
  [
    'affected.fixedText',
    'Its fixed versions, comma-separated (fixed commits for a repository without a package), or "none yet".',
  ],
  ['patchedVersions', 'The packages with fixed versions (a list).'],
  ['patchedVersions.ecosystem', 'Its ecosystem.'],
  ['patchedVersions.package', 'Its package name.'],
  ['patchedVersions.versionsText', 'Its fixed versions, comma-separated.'],
  ['upgradeVersions', 'Every fixed version, comma-separated: the releases to upgrade to.'],
  ['cvss', 'Every CVSS vector (a list).'],
  ['cvss.vector', 'The vector string.'],
  ['cvss.version', 'The CVSS version (3.1, 4.0, ...).'],
  ['cvss.score', 'The base score, one decimal.'],
  ['cvss.severity', 'The band: none, low, medium, high, critical.'],
  ['cvss.label', 'The band capitalised: High.'],
  ['hasCvss', 'True when there is a CVSS vector.'],
  [
    'severity',
    'The highest-version vector, with vector, version, score, severity and label; empty without one.',
  ],
  ['severity.vector', 'Its vector string.'],
  ['severity.version', 'Its CVSS version.'],
  ['severity.score', 'Its base score, one decimal.'],
  ['severity.severity', 'Its band: none, low, medium, high, critical.'],
  ['severity.label', 'Its band capitalised: High.'],
  ['attackVector', 'The CVSS attack vector in words (Network, Local, ...), or empty.'],
  ['cwes', 'The weaknesses (a list).'],
  ['cwes.id', 'The CWE id: CWE-79.'],
  ['cwes.name', "The CWE's name."],
  ['hasCwes', 'True when there is a CWE.'],
  ['credits', 'The credits (a list).'],
  ['credits.name', 'The credited name.'],
  ['credits.type', 'The OSV credit type: FINDER, REPORTER, ...'],
  ['credits.typeLabel', 'The credit type in words: finder, reporter, ...'],
  ['hasCredits', 'True when there is a credit.'],
  ['releaseAt', 'The release date and time given to the render; empty without one.'],
  ['releaseAt.iso', 'ISO 8601, UTC.'],
  ['releaseAt.date', 'The date, YYYY-MM-DD (UTC).'],
  ['releaseAt.utc', 'Date and time: 2026-12-01 16:00 UTC.'],
  ['releaseAt.words', 'In words: Tuesday, 1 December 2026 at 16:00 UTC.'],
  ['releaseAt.local', "In words in the project's time zone."],
  ['embargoNote', "The embargo note (the policy's embargo policy, or the Contour checklist's)."],
];

const FULL_ONLY: readonly (readonly [string, string])[] = [
  ['cveId', 'The CVE id, or empty (not in the distributors template).'],
  ['references', 'The references (a list; not in the distributors template).'],
  ['references.type', 'The OSV reference type: FIX, ADVISORY, WEB, ...'],
  ['references.url', 'The URL.'],
  ['hasReferences', 'True when there is a reference.'],
];

const PUBLIC_ONLY: readonly (readonly [string, string])[] = [
  [
    'aliases',
    'The other ids of the vulnerability (a list: GHSA-..., PYSEC-...; never the CVE id; announcement and page only).',
  ],
  ['aliases.id', 'One other id: GHSA-xxxx-xxxx-xxxx.'],
  ['aliasesText', 'The other ids, comma-separated, or empty.'],
  ['hasAliases', 'True when the vulnerability has another id.'],
];

/** The variables template `name` may use, each with what it holds. */
export function variablesOf(name: TemplateName): { name: string; description: string }[] {
  const all =
    name === 'distributors'
      ? COMMON_VARIABLES
      : name === 'fix-coming'
        ? [...COMMON_VARIABLES, ...FULL_ONLY]
        : [...COMMON_VARIABLES, ...FULL_ONLY, ...PUBLIC_ONLY];
  return all.map(([n, description]) => ({ name: n, description }));
}

/** Every key segment a template for `name` may name: what `{{a.b}}` and `{{#a}}{{b}}` resolve against. */
export function allowedKeysOf(name: TemplateName): Set<string> {
  return new Set(variablesOf(name).flatMap((v) => v.name.split('.')));
}
