/**
 * The metrics of each CVSS version as their specifications define them: abbreviation, name, group
 * and allowed values (abbreviation -> name), listed in each specification's canonical order
 * (v2.0 guide Table 13, v3.0 Table 12, v3.1 Table 15, v4.0 Table 23). The parser validates
 * against these tables, not against the scoring library, which accepts values the specifications
 * do not (`AV:X` in a v3 base, `SI:S` in a v4 base).
 */

/** The CVSS versions Vigil reads. New advisories are scored in 3.1 or 4.0; 2.0 and 3.0 come in imports. */
export const CVSS_VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const;

export type CvssVersion = (typeof CVSS_VERSIONS)[number];

/** v4.0 renamed Temporal to Threat and added Supplemental (which never changes the score). */
export type CvssMetricGroup = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

export interface CvssMetricDefinition {
  /** The abbreviation used in vectors, case-sensitive: `AV`, `Au`, `MSI`. */
  readonly key: string;
  readonly name: string;
  readonly group: CvssMetricGroup;
  /** Allowed values, abbreviation -> name, in the specification's order. */
  readonly values: Readonly<Record<string, string>>;
  /** Base metrics are mandatory in every version; the others default to Not Defined. */
  readonly mandatory: boolean;
}

/** The value that means "Not Defined": it scores as if the metric were absent. */
export function notDefinedValue(version: CvssVersion): 'ND' | 'X' {
  return version === '2.0' ? 'ND' : 'X';
}

function metric(
  key: string,
  name: string,
  group: CvssMetricGroup,
  values: Record<string, string>,
): CvssMetricDefinition {
  return { key, name, group, values, mandatory: group === 'base' };
}

const HLN = { H: 'High', L: 'Low', N: 'None' };
const X = { X: 'Not Defined' };
const ND = { ND: 'Not Defined' };

const V2: readonly CvssMetricDefinition[] = [
  metric('AV', 'Access Vector', 'base', { L: 'Local', A: 'Adjacent Network', N: 'Network' }),
  metric('AC', 'Access Complexity', 'base', { H: 'High', M: 'Medium', L: 'Low' }),
  metric('Au', 'Authentication', 'base', { M: 'Multiple', S: 'Single', N: 'None' }),
  metric('C', 'Confidentiality Impact', 'base', { N: 'None', P: 'Partial', C: 'Complete' }),
  metric('I', 'Integrity Impact', 'base', { N: 'None', P: 'Partial', C: 'Complete' }),
  metric('A', 'Availability Impact', 'base', { N: 'None', P: 'Partial', C: 'Complete' }),
  metric('E', 'Exploitability', 'temporal', {
    U: 'Unproven',
    POC: 'Proof-of-Concept',
    F: 'Functional',
    H: 'High',
    ...ND,
  }),
  metric('RL', 'Remediation Level', 'temporal', {
    OF: 'Official Fix',
    TF: 'Temporary Fix',
    W: 'Workaround',
    U: 'Unavailable',
    ...ND,
  }),
  metric('RC', 'Report Confidence', 'temporal', {
    UC: 'Unconfirmed',
    UR: 'Uncorroborated',
    C: 'Confirmed',
    ...ND,
  }),
  metric('CDP', 'Collateral Damage Potential', 'environmental', {
    N: 'None',
    L: 'Low',
    LM: 'Low-Medium',
    MH: 'Medium-High',
    H: 'High',
    ...ND,
  }),
  metric('TD', 'Target Distribution', 'environmental', {
    N: 'None',
    L: 'Low',
    M: 'Medium',
    H: 'High',
    ...ND,
  }),
  metric('CR', 'Confidentiality Requirement', 'environmental', { L: 'Low', M: 'Medium', H: 'High', ...ND }),
  metric('IR', 'Integrity Requirement', 'environmental', { L: 'Low', M: 'Medium', H: 'High', ...ND }),
  metric('AR', 'Availability Requirement', 'environmental', { L: 'Low', M: 'Medium', H: 'High', ...ND }),
];

// v3.0 and v3.1 share their metrics and values; they differ only in equations.
/** Value sets that the v3 and v4 tables share. */
const REQUIREMENT = { ...X, H: 'High', M: 'Medium', L: 'Low' };
const MODIFIED_ATTACK_VECTOR = { ...X, N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' };

const V3: readonly CvssMetricDefinition[] = [
  metric('AV', 'Attack Vector', 'base', { N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' }),
  metric('AC', 'Attack Complexity', 'base', { L: 'Low', H: 'High' }),
  metric('PR', 'Privileges Required', 'base', { N: 'None', L: 'Low', H: 'High' }),
  metric('UI', 'User Interaction', 'base', { N: 'None', R: 'Required' }),
  metric('S', 'Scope', 'base', { U: 'Unchanged', C: 'Changed' }),
  metric('C', 'Confidentiality', 'base', HLN),
  metric('I', 'Integrity', 'base', HLN),
  metric('A', 'Availability', 'base', HLN),
  metric('E', 'Exploit Code Maturity', 'temporal', {
    ...X,
    H: 'High',
    F: 'Functional',
    P: 'Proof-of-Concept',
    U: 'Unproven',
  }),
  metric('RL', 'Remediation Level', 'temporal', {
    ...X,
    U: 'Unavailable',
    W: 'Workaround',
    T: 'Temporary Fix',
    O: 'Official Fix',
  }),
  metric('RC', 'Report Confidence', 'temporal', { ...X, C: 'Confirmed', R: 'Reasonable', U: 'Unknown' }),
  metric('CR', 'Confidentiality Requirement', 'environmental', REQUIREMENT),
  metric('IR', 'Integrity Requirement', 'environmental', REQUIREMENT),
  metric('AR', 'Availability Requirement', 'environmental', REQUIREMENT),
  metric('MAV', 'Modified Attack Vector', 'environmental', MODIFIED_ATTACK_VECTOR),
  metric('MAC', 'Modified Attack Complexity', 'environmental', { ...X, L: 'Low', H: 'High' }),
  metric('MPR', 'Modified Privileges Required', 'environmental', { ...X, N: 'None', L: 'Low', H: 'High' }),
  metric('MUI', 'Modified User Interaction', 'environmental', { ...X, N: 'None', R: 'Required' }),
  metric('MS', 'Modified Scope', 'environmental', { ...X, U: 'Unchanged', C: 'Changed' }),
  metric('MC', 'Modified Confidentiality', 'environmental', { ...X, ...HLN }),
  metric('MI', 'Modified Integrity', 'environmental', { ...X, ...HLN }),
  metric('MA', 'Modified Availability', 'environmental', { ...X, ...HLN }),
];

const SUBSEQUENT_MODIFIED = { ...X, H: 'High', L: 'Low', N: 'Negligible' };
const SUBSEQUENT_SAFETY = { ...X, S: 'Safety', H: 'High', L: 'Low', N: 'Negligible' };

const V4: readonly CvssMetricDefinition[] = [
  metric('AV', 'Attack Vector', 'base', { N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' }),
  metric('AC', 'Attack Complexity', 'base', { L: 'Low', H: 'High' }),
  metric('AT', 'Attack Requirements', 'base', { N: 'None', P: 'Present' }),
  metric('PR', 'Privileges Required', 'base', { N: 'None', L: 'Low', H: 'High' }),
  metric('UI', 'User Interaction', 'base', { N: 'None', P: 'Passive', A: 'Active' }),
  metric('VC', 'Vulnerable System Confidentiality', 'base', HLN),
  metric('VI', 'Vulnerable System Integrity', 'base', HLN),
  metric('VA', 'Vulnerable System Availability', 'base', HLN),
  metric('SC', 'Subsequent System Confidentiality', 'base', HLN),
  metric('SI', 'Subsequent System Integrity', 'base', HLN),
  metric('SA', 'Subsequent System Availability', 'base', HLN),
  metric('E', 'Exploit Maturity', 'threat', { ...X, A: 'Attacked', P: 'POC', U: 'Unreported' }),
  metric('CR', 'Confidentiality Requirement', 'environmental', REQUIREMENT),
  metric('IR', 'Integrity Requirement', 'environmental', REQUIREMENT),
  metric('AR', 'Availability Requirement', 'environmental', REQUIREMENT),
  metric('MAV', 'Modified Attack Vector', 'environmental', MODIFIED_ATTACK_VECTOR),
  metric('MAC', 'Modified Attack Complexity', 'environmental', { ...X, L: 'Low', H: 'High' }),
  metric('MAT', 'Modified Attack Requirements', 'environmental', { ...X, N: 'None', P: 'Present' }),
  metric('MPR', 'Modified Privileges Required', 'environmental', { ...X, N: 'None', L: 'Low', H: 'High' }),
  metric('MUI', 'Modified User Interaction', 'environmental', { ...X, N: 'None', P: 'Passive', A: 'Active' }),
  metric('MVC', 'Modified Vulnerable System Confidentiality', 'environmental', { ...X, ...HLN }),
  metric('MVI', 'Modified Vulnerable System Integrity', 'environmental', { ...X, ...HLN }),
  metric('MVA', 'Modified Vulnerable System Availability', 'environmental', { ...X, ...HLN }),
  metric('MSC', 'Modified Subsequent System Confidentiality', 'environmental', SUBSEQUENT_MODIFIED),
  metric('MSI', 'Modified Subsequent System Integrity', 'environmental', SUBSEQUENT_SAFETY),
  metric('MSA', 'Modified Subsequent System Availability', 'environmental', SUBSEQUENT_SAFETY),
  metric('S', 'Safety', 'supplemental', { ...X, N: 'Negligible', P: 'Present' }),
  metric('AU', 'Automatable', 'supplemental', { ...X, N: 'No', Y: 'Yes' }),
  metric('R', 'Recovery', 'supplemental', { ...X, A: 'Automatic', U: 'User', I: 'Irrecoverable' }),
  metric('V', 'Value Density', 'supplemental', { ...X, D: 'Diffuse', C: 'Concentrated' }),
  metric('RE', 'Vulnerability Response Effort', 'supplemental', { ...X, L: 'Low', M: 'Moderate', H: 'High' }),
  metric('U', 'Provider Urgency', 'supplemental', {
    ...X,
    Clear: 'Clear',
    Green: 'Green',
    Amber: 'Amber',
    Red: 'Red',
  }),
];

/** Every version's metrics, in canonical order. */
export const CVSS_METRICS: Readonly<Record<CvssVersion, readonly CvssMetricDefinition[]>> = {
  '2.0': V2,
  '3.0': V3,
  '3.1': V3,
  '4.0': V4,
};
