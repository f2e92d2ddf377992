/**
 * The advisory's vocabulary (OSV's where one exists): plain lists with no dependency, shared by the
 * server's document schema and the web editor, so the two can never disagree.
 */

/** OSV ecosystem names (osv-schema 1.7.5 `ecosystemName`); a `:suffix` (Debian:12, Alpine:v3.20) is allowed. */
export const OSV_ECOSYSTEMS = [
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'CleanStart',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Docker Hardened Images',
  'Echo',
  'FreeBSD',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Kubernetes',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'opam',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'Root',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'TuxCare',
  'Ubuntu',
  'VSCode',
  'Wolfi',
] as const;

/** OSV reference types. */
export const REFERENCE_TYPES = [
  'ADVISORY',
  'ARTICLE',
  'DETECTION',
  'DISCUSSION',
  'REPORT',
  'FIX',
  'INTRODUCED',
  'GIT',
  'PACKAGE',
  'EVIDENCE',
  'WEB',
] as const;

/** OSV credit types. */
export const CREDIT_TYPES = [
  'FINDER',
  'REPORTER',
  'ANALYST',
  'COORDINATOR',
  'REMEDIATION_DEVELOPER',
  'REMEDIATION_REVIEWER',
  'REMEDIATION_VERIFIER',
  'TOOL',
  'SPONSOR',
  'OTHER',
] as const;

/** OSV range types: SemVer versions, the ecosystem's own versions, or git commits. */
export const RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;

export const ADVISORY_STATES = ['draft', 'published', 'withdrawn', 'rejected'] as const;
export type AdvisoryState = (typeof ADVISORY_STATES)[number];
