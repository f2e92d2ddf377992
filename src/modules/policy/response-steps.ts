/**
 * The numbered "Patch, Release, and Disclosure" steps, derived from the policy. For Contour and
 * Sesame this yields the seeds' nine steps; for Emissary and k8spolicy the steps carry their
 * phase windows instead. Each step is Markdown: policy strings are escaped here.
 */
import { escapeInline, link, mailLink } from './markdown-escape.js';
import type { Policy } from './policy.schema.js';

type Decider = Policy['severity']['cvssFinalCall'];
type DayRange = { minDays: number; maxDays: number };

const CVSS_SPEC_URL = 'https://www.first.org/cvss/specification-document';
const CVSS_CALCULATOR_URL = 'https://www.first.org/cvss/calculator/3.1';

/** Names used across the rendered text, escaped once. */
export interface PolicyNames {
  project: string;
  team: string;
}

/** The project and security-team names as they appear in rendered Markdown. */
export function policyNames(policy: Policy, projectName?: string): PolicyNames {
  return {
    project: escapeInline(projectName ?? policy.project.name),
    team: escapeInline(policy.contacts.securityTeam.name),
  };
}

/** Who a decider is, in words: "the Fix Lead" or "the <team name>". */
export function deciderName(decider: Decider | 'fix-team', names: PolicyNames): string {
  if (decider === 'fix-lead') return 'the Fix Lead';
  if (decider === 'fix-team') return 'the Fix Team';
  return `the ${names.team}`;
}

/** "1-7 days" */
export function dayRangeText(range: DayRange): string {
  const days = range.maxDays === 1 ? 'day' : 'days';
  return range.minDays === range.maxDays
    ? `${range.maxDays} ${days}`
    : `${range.minDays}-${range.maxDays} ${days}`;
}

/** The response steps, in order, as Markdown sentences (without their numbers). */
export function deriveResponseSteps(policy: Policy, projectName?: string): string[] {
  const names = policyNames(policy, projectName);
  const the = `The ${names.team}`;
  const steps: string[] = [
    `${the} will investigate the vulnerability and determine its effects and criticality.`,
    `If the issue is not deemed to be a vulnerability, the ${names.team} will follow up with a detailed reason for rejection.`,
  ];
  const first = policy.triage.firstResponse;
  if (first)
    steps.push(
      `${the} will initiate a conversation with the reporter within ${first.businessDays} business days.`,
    );
  steps.push(...fixLeadSteps(policy, names));
  steps.push(
    `If a vulnerability is acknowledged and the timeline for a fix is determined, the ${names.team} will work on a plan to communicate with the appropriate community, including identifying mitigating steps that affected users can take to protect themselves until the fix is rolled out.`,
    cvssStep(policy, names),
    fixStep(policy, names),
  );
  const told = policy.fix.usersToldOfFix;
  if (told) steps.push(usersToldStep(policy, names, told));
  const list = policy.disclosure.distributorsList;
  if (list.enabled && list.name && list.email) {
    const listName = escapeInline(list.name);
    steps.push(
      `${the} will provide early disclosure of the vulnerability by emailing the ${mailLinkNamed(listName, list.email)}. Distributors can initially plan for the vulnerability patch ahead of the fix, and later can test the fix and provide feedback to the ${names.project} team. See the section **Early disclosure to the ${listName}** for details about how to join this mailing list.`,
    );
  }
  steps.push(disclosureDateStep(policy, names), releaseStep(policy, names));
  return steps;
}

function mailLinkNamed(escapedLabel: string, address: string): string {
  return `${escapedLabel} (${mailLink(address)})`;
}

function fixLeadSteps(policy: Policy, names: PolicyNames): string[] {
  const steps: string[] = [];
  if (policy.fix.fixLead === 'round-robin') {
    steps.push(
      `For each vulnerability a member of the ${names.team} will volunteer to lead coordination with the "Fix Team" and is responsible for sending disclosure messages to the rest of the community. This lead is referred to as the "Fix Lead". The role of Fix Lead rotates round-robin across the ${names.team}.`,
    );
  }
  const organised = policy.fix.fixTeamOrganised;
  if (organised) {
    const lead = policy.fix.fixLead === 'round-robin' ? 'the Fix Lead' : `the ${names.team}`;
    steps.push(
      `Within the first ${organised.withinHours} hours of the report, ${lead} will identify the relevant engineers and bring them into the case: these developers are the Fix Team. Work toward the fix takes place in a private repository, and ${lead} arranges for the Fix Team to have access to it.`,
    );
  }
  return steps;
}

function cvssStep(policy: Policy, names: PolicyNames): string {
  const decider = deciderName(policy.severity.cvssFinalCall, names);
  const creators = policy.severity.cvssFinalCall === 'fix-lead' ? 'the Fix Lead and the Fix Team' : decider;
  return `${capitalise(creators)} will also create a ${link('CVSS', CVSS_SPEC_URL)} score using the ${link('CVSS Calculator', CVSS_CALCULATOR_URL)}. ${capitalise(decider)} makes the final call on the calculated CVSS; it is better to move quickly than making the CVSS perfect. The CVE will initially be set to private.`;
}

function fixStep(policy: Policy, names: PolicyNames): string {
  const who = policy.fix.fixLead === 'round-robin' ? 'the Fix Team' : `the ${names.team}`;
  const developed = policy.fix.fixDeveloped;
  const when = developed ? ` This is completed within ${dayRangeText(developed)} of the report.` : '';
  return `${capitalise(who)} will work on fixing the vulnerability and perform internal testing before preparing to roll out the fix.${when}`;
}

function usersToldStep(policy: Policy, names: PolicyNames, told: DayRange): string {
  const lead = policy.fix.fixLead === 'round-robin' ? 'the Fix Lead' : `the ${names.team}`;
  const channels = policy.contacts.publicChannels.map((c) =>
    c.url ? link(c.name, c.url) : escapeInline(c.name),
  );
  const where = channels.length > 0 ? ` in ${joinWords(channels, 'and')}` : '';
  return `Within ${dayRangeText(told)} of the report, ${lead} will inform users${where} that a security vulnerability has been disclosed and that a fix will be made available at a specific date and time (the Release Date), including any mitigating steps users can take until the fix is available. The communication to users should be actionable: they should know when to block time to apply patches and the exact mitigation steps.`;
}

function disclosureDateStep(policy: Policy, names: PolicyNames): string {
  const d = policy.disclosure;
  const decider = deciderName(d.finalSay, names);
  if (d.negotiationParties.length === 0) {
    return `${capitalise(decider)} sets the release date, which is also the public disclosure date: disclosure happens with the release, no later than ${d.maxEmbargoDays} days after the report.`;
  }
  const party = {
    'security-team': `the ${names.team}`,
    reporter: 'the bug submitter',
    distributors: 'the distributors list',
  };
  const sentences = [
    `A public disclosure date is negotiated by ${joinWords(
      d.negotiationParties.map((p) => party[p]),
      'and',
    )}.`,
    'We prefer to fully disclose the bug as soon as possible once a user mitigation or patch is available.',
  ];
  const reason = {
    'not-understood': 'the bug or the fix is not yet fully understood',
    'not-well-tested': 'the solution is not well-tested',
    'distributor-coordination': 'for distributor coordination',
  };
  if (d.delayReasons.length > 0)
    sentences.push(
      `It is reasonable to delay disclosure when ${joinWords(
        d.delayReasons.map((r) => reason[r]),
        'or',
      )}.`,
    );
  sentences.push(
    `The timeframe for disclosure is from immediate (especially if it's already publicly known) to at most ${d.maxEmbargoDays} days after the report.`,
  );
  if (d.criticalTarget)
    sentences.push(
      `For a critical vulnerability with a straightforward mitigation, we expect report date to public disclosure date to be on the order of ${d.criticalTarget.businessDays} business days.`,
    );
  sentences.push(`${capitalise(decider)} holds the final say when setting a public disclosure date.`);
  return sentences.join(' ');
}

function releaseStep(policy: Policy, names: PolicyNames): string {
  const window = policy.fix.release;
  const backport = policy.releases.backportToAllSupported
    ? ', and backport a patch release into all earlier supported releases'
    : '';
  const when = window ? `, within ${dayRangeText(window)} of the report` : '';
  const access =
    policy.fix.fixLead === 'round-robin'
      ? ' The Fix Lead then removes the Fix Team from the private repository.'
      : '';
  return `Once the fix is confirmed, the ${names.team} will patch the vulnerability in the next patch or minor release${backport}${when}. Upon release of the patched version of ${names.project}, we will follow the **Public Disclosure Process**.${access}`;
}

/** "a and b", "a, b, and c" (the seeds use the serial comma). */
export function joinWords(words: string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  if (words.length === 2) return `${words[0] ?? ''} ${conjunction} ${words[1] ?? ''}`;
  return `${words.slice(0, -1).join(', ')}, ${conjunction} ${words[words.length - 1] ?? ''}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
