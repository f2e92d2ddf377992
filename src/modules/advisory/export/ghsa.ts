/**
 * The GitHub advisory format: a record as github/advisory-database stores it, i.e. OSV plus
 * `database_specific: { cwe_ids, severity, github_reviewed, github_reviewed_at, nvd_published_at }`.
 * GitHub's records use ECOSYSTEM ranges only, give `last_known_affected_version_range` for a
 * `last_affected` event, and carry CVSS v3 and v4 (no v2, no GIT ranges). The embargo rules are
 * OSV's (see osv.ts): no CVE alias before publication, TLP AMBER until then.
 */
import type { CvssSeverity } from '../../../lib/cvss/scores.js';
import { overallSeverity, scoreVectors } from '../advisory-severity.js';
import {
  redactCve,
  toOsv,
  type AdvisoryExportContext,
  type AdvisoryExportInput,
  type OsvAffected,
  type OsvRecord,
} from './osv.js';

export type GhsaSeverity = 'LOW' | 'MODERATE' | 'HIGH' | 'CRITICAL';

/** A GitHub advisory-database record: an OSV record with GitHub's `database_specific`. */
export interface GhsaRecord extends OsvRecord {
  database_specific: {
    cwe_ids: string[];
    severity: GhsaSeverity | null;
    github_reviewed: boolean;
    github_reviewed_at: string | null;
    nvd_published_at: string | null;
    [key: string]: unknown;
  };
}

/** GitHub's severity for a CVSS band (GitHub has no "none": a 0.0 score is LOW). */
export function ghsaSeverityOf(severity: CvssSeverity): GhsaSeverity {
  switch (severity) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
      return 'HIGH';
    case 'medium':
      return 'MODERATE';
    default:
      return 'LOW';
  }
}

/**
 * One affected package in GitHub's form: SEMVER ranges become ECOSYSTEM ranges (GitHub writes
 * every range so), GIT ranges (and so entries without a package) are left out, and a range ending in `last_affected` also gets the
 * `last_known_affected_version_range` GitHub shows. Null when nothing is left to say.
 */
function ghsaAffected(a: OsvAffected): OsvAffected | null {
  // GitHub's records always name a package: an entry known only by its repository has nothing left.
  if (!a.package) return null;
  const ranges = (a.ranges ?? [])
    .filter((r) => r.type !== 'GIT')
    .map((r) => {
      const last = r.events.flatMap((e) => ('last_affected' in e ? [e.last_affected] : []))[0];
      return {
        type: 'ECOSYSTEM' as const,
        events: r.events,
        ...(last ? { database_specific: { last_known_affected_version_range: `<= ${last}` } } : {}),
      };
    });
  if (!ranges.length && !a.versions?.length) return null;
  return {
    package: {
      ecosystem: a.package.ecosystem,
      name: a.package.name,
      ...(a.package.purl ? { purl: a.package.purl } : {}),
    },
    ...(ranges.length ? { ranges } : {}),
    ...(a.versions?.length ? { versions: a.versions } : {}),
  };
}

/**
 * The advisory in the GitHub advisory-database format. `github_reviewed` is false: GitHub, not
 * Vigil, reviews a record. Throws like toOsv when a GIT event is not a full commit hash.
 */
export function toGhsa(advisory: AdvisoryExportInput, context: AdvisoryExportContext): GhsaRecord {
  const osv = toOsv(advisory, context);
  const overall = overallSeverity(scoreVectors(advisory.document));
  const severity = (osv.severity ?? []).filter((s) => s.type !== 'CVSS_V2');
  const affected = (osv.affected ?? []).flatMap((a) => ghsaAffected(a) ?? []);
  const { severity: _osvSeverity, affected: _osvAffected, database_specific: osvSpecific, ...rest } = osv;
  const record: GhsaRecord = {
    ...rest,
    ...(severity.length ? { severity } : {}),
    affected,
    database_specific: {
      cwe_ids: [...advisory.document.cwes],
      severity: overall ? ghsaSeverityOf(overall.severity) : null,
      github_reviewed: false,
      github_reviewed_at: null,
      nvd_published_at: null,
      tlp: osvSpecific.tlp,
      vigil_advisory_id: osvSpecific.vigil_advisory_id,
      vigil_state: osvSpecific.vigil_state,
    },
  };
  return redactCve(record, advisory);
}
