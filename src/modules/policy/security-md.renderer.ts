/**
 * Renders a policy as a SECURITY.md a project could publish: every commitment of the policy, in
 * plain language, with the seeds' wording where the wording is the commitment. Policy strings are
 * escaped (names, addresses, list items) or sanitised (prose) on the way in.
 */
import { escapeInline, fencedBlock, link, mailLink, sanitizeProse } from './markdown-escape.js';
import type { Policy } from './policy.schema.js';
import {
  dayRangeText,
  deciderName,
  deriveResponseSteps,
  joinWords,
  policyNames,
  type PolicyNames,
} from './response-steps.js';

/** What the rendering instance knows and the policy does not: where its form and security.txt live. */
export interface SecurityMdContext {
  projectName?: string;
  reportUrl?: string;
  securityTxtUrl?: string;
  /** The project's published OpenPGP key, to encrypt reports to. */
  pgpKey?: { url: string; fingerprint: string };
}

type Section = (policy: Policy, names: PolicyNames, ctx: SecurityMdContext) => string[];

/** The policy as Markdown, ready to publish as SECURITY.md. */
export function renderSecurityMd(policy: Policy, ctx: SecurityMdContext = {}): string {
  const names = policyNames(policy, ctx.projectName);
  const sections: Section[] = [
    intro,
    supportedVersions,
    reporting,
    whenToReport,
    publiclyKnown,
    response,
    publicDisclosure,
    retrospective,
    distributors,
    impact,
    contacts,
  ];
  const blocks = sections.flatMap((section) => section(policy, names, ctx)).filter((b) => b !== '');
  return `${blocks.join('\n\n')}\n`;
}

function bullets(items: string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

function numbered(items: string[]): string {
  return items.map((item, i) => `${i + 1}. ${item}`).join('\n');
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

function teamContact(policy: Policy, names: PolicyNames, ctx: SecurityMdContext): string {
  const email = policy.contacts.securityTeam.email;
  const form = ctx.reportUrl ? link('private report form', ctx.reportUrl) : undefined;
  if (form && email) return `the ${names.team} through the ${form} or by email to ${mailLink(email)}`;
  if (form) return `the ${names.team} through the ${form}`;
  if (email) return `the ${names.team} at ${mailLink(email)}`;
  return `the ${names.team} privately`;
}

const intro: Section = (_policy, names) => [
  `# ${names.project} security policy`,
  `${names.project} has adopted this security disclosure and response policy to ensure that critical issues are handled responsibly. Security vulnerabilities should be handled quickly and sometimes privately: the primary goal of this process is to reduce the total time users are vulnerable to publicly and privately known exploits.`,
];

const supportedVersions: Section = (policy, names) => {
  const r = policy.releases;
  const lines: string[] = [];
  if (r.supportedLines.length > 0)
    lines.push(
      `The following release lines are supported and receive security fixes: ${r.supportedLines.join(', ')}.`,
    );
  if (r.supportNote) lines.push(escapeInline(r.supportNote));
  if (policy.project.releasesUrl)
    lines.push(
      `The ${names.project} project maintains a ${link('document on the release process and support matrix', policy.project.releasesUrl)}. Please refer to it for release related details.`,
    );
  if (lines.length === 0)
    lines.push('Security fixes are made on the main branch and shipped in a new release.');
  if (r.backportToAllSupported)
    lines.push(
      'A fix is released on every affected supported release line: a patch release is backported into all earlier supported releases.',
    );
  if (r.securityFixesBlockReleases)
    lines.push(
      'If a vulnerability affects only the main branch, the fix will be incorporated into the next release. Security vulnerabilities that warrant action per this process are release blockers.',
    );
  if (policy.triage.rejectionReasons.includes('only-unsupported-versions'))
    lines.push(
      'If a security vulnerability affects only unsupported versions, no new release will be created. The vulnerability will be described in a public issue, and a CVE will be filed if warranted by severity.',
    );
  if (r.fixCommitsMustNotRevealIssue)
    lines.push(
      'Security fixes are committed with short, non-descriptive messages: nothing in a commit message, branch name or pull request title gives the issue or its CVE away before the public disclosure.',
    );
  if (r.fixCommitsAreNotRewritten)
    lines.push(
      'Once a fix is prepared its commits are not changed, even for a typo, so that their hashes stay valid across branches.',
    );
  return ['## Supported versions', lines.join(' ')];
};

const reporting: Section = (policy, names, ctx) => {
  const i = policy.intake;
  const paragraphs = [
    '## Reporting a vulnerability',
    `Security is of the highest importance and all security vulnerabilities or suspected security vulnerabilities should be reported to ${names.project} privately, to minimize attacks against current users before they are fixed.`,
    '**IMPORTANT: Do not file public issues for security vulnerabilities.**',
  ];
  const how = [
    `To report a vulnerability or a security-related issue, contact ${teamContact(policy, names, ctx)}.`,
  ];
  const members = policy.contacts.securityTeam.members;
  if (members)
    how.push(`Reports are fielded by the ${names.team}, which is made up of ${escapeInline(members)}.`);
  const first = policy.triage.firstResponse;
  if (first) {
    const plan = first.includesInvestigationPlan
      ? ', including a detailed plan to investigate the issue and any potential workarounds to perform in the meantime'
      : '';
    how.push(
      `Reports will be addressed within ${first.businessDays} business days${plan}. ${businessDaysNote(policy)}`,
    );
  }
  how.push(
    i.maxAttachmentBytesPerCase > 0
      ? `Attachments of up to ${formatBytes(i.maxAttachmentBytesPerCase)} in total per report are accepted.`
      : 'Attachments are not accepted; describe the issue in the report itself.',
  );
  if (i.redirectNonSecurityBugs && policy.project.issueTrackerUrl)
    how.push(
      `Do not report non-security-impacting bugs through this channel. Use the ${link('public issue tracker', policy.project.issueTrackerUrl)} instead.`,
    );
  if (ctx.securityTxtUrl)
    how.push(`These contact details are also published in ${link('security.txt', ctx.securityTxtUrl)}.`);
  paragraphs.push(how.join(' '));
  if (i.reportContents.length > 0)
    paragraphs.push(
      '### What to include',
      'Please include the following information in your report:',
      bullets(i.reportContents.map(escapeInline)),
    );
  return paragraphs;
};

function businessDaysNote(policy: Policy): string {
  const holidays = policy.holidays
    ? `, excluding the public holidays of ${escapeInline(policy.holidays)}`
    : '';
  return `Business days are Monday to Friday in the ${escapeInline(policy.timeZone)} time zone${holidays}.`;
}

const whenToReport: Section = (policy, names) => {
  const kinds = policy.intake.acceptedReportKinds;
  const items: string[] = [];
  if (kinds.includes('vulnerability'))
    items.push(`When you think ${names.project} has a potential security vulnerability.`);
  if (kinds.includes('suspected-vulnerability'))
    items.push(
      `When you suspect a potential vulnerability but you are unsure that it impacts ${names.project}.`,
    );
  if (kinds.includes('dependency-vulnerability')) {
    const example = policy.intake.dependencyExample
      ? ` For example: ${escapeInline(policy.intake.dependencyExample)}`
      : '';
    items.push(
      `When you know of or suspect a potential vulnerability on another project that is used by ${names.project}.${example}`,
    );
  }
  return items.length > 0 ? ['## When to report a vulnerability', bullets(items)] : [];
};

const publiclyKnown: Section = (policy, names, ctx) => {
  const pd = policy.severity.publicDisclosure;
  const text: string[] = [];
  if (policy.intake.acceptedReportKinds.includes('publicly-known-vulnerability'))
    text.push(
      `If you know of a publicly disclosed security vulnerability for ${names.project}, please **IMMEDIATELY** contact ${teamContact(policy, names, ctx)}, so that the patch, release, and communication process can start.`,
    );
  if (pd.askReporterToHandlePrivately)
    text.push(
      `If possible, the ${names.team} will ask the person making the public report if the issue can be handled via a private disclosure process (for example if the full exploit details have not yet been published). If the reporter denies the request for private disclosure, the ${names.team} will move swiftly with the fix and release process.`,
    );
  if (pd.allTimelinesAsap) {
    const cvss =
      pd.minimumCvss !== null
        ? `, assuming the vulnerability has a CVSS score >= ${pd.minimumCvss.toFixed(1)}`
        : '';
    text.push(
      `When a vulnerability is already public, all timelines become ASAP (as soon as possible)${cvss}.`,
    );
  }
  return text.length > 0 ? ['## Publicly disclosed vulnerabilities', text.join(' ')] : [];
};

const response: Section = (policy, names, ctx) => {
  const blocks = [
    '## Patch, release, and disclosure',
    `The ${names.team} will respond to vulnerability reports as follows:`,
    numbered(deriveResponseSteps(policy, ctx.projectName)),
  ];
  const f = policy.fix;
  const hasWindows = [f.fixTeamOrganised, f.fixDeveloped, f.usersToldOfFix, f.release].some(
    (w) => w !== null,
  );
  const notes: string[] = [];
  if (hasWindows)
    notes.push(
      `All of these timelines are suggestions and assume a private disclosure; days are counted from the report. ${capitalise(deciderName(policy.disclosure.finalSay, names))} drives the schedule using their best judgment based on severity and development time.`,
    );
  if (f.followUpstreamTimeline)
    notes.push(
      "If the fix relies on another upstream project's disclosure timeline, that will adjust the process as well: we will work with the upstream project to fit their timeline and best protect our users.",
    );
  if (f.testCommand)
    notes.push(
      'Fixes are developed in a private repository, and every change pushed to it is tested before release.',
    );
  if (notes.length > 0) blocks.push(notes.join(' '));
  const slow = policy.severity.lowSeveritySlowDown;
  if (slow) {
    const threshold = `${slow.thresholdApproximate ? '~' : ''}${policy.severity.lowSeverityThreshold.toFixed(1)}`;
    const risk = slow.alsoWhenAssessedRiskLow ? ' or the assessed risk is low' : '';
    blocks.push(
      '### Low-severity issues',
      `If the CVSS score is under ${threshold} (a low severity score)${risk}, ${deciderName(slow.decidedBy, names)} can decide to slow the release process down in the face of holidays, developer bandwidth, etc. These decisions must be discussed in ${escapeInline(slow.discussedIn)}.`,
    );
  }
  return blocks;
};

const publicDisclosure: Section = (policy, names) => {
  const a = policy.disclosure.announcement;
  const blocks = ['### Public Disclosure Process'];
  const first = policy.project.advisoriesUrl
    ? `The ${names.team} publishes a public ${link('advisory', policy.project.advisoriesUrl)} to the ${names.project} community once all patch releases are out and the public disclosure date is reached.`
    : `The ${names.team} announces the fix publicly once all patch releases are out and the public disclosure date is reached.`;
  blocks.push(
    `${first} The announcement should be actionable and include any mitigating steps users can take until the fix can be applied.`,
  );
  if (a.includes.length > 0) blocks.push('The announcement includes:', bullets(a.includes.map(escapeInline)));
  const channels = policy.contacts.publicChannels;
  if (channels.length > 0)
    blocks.push(
      `It is also communicated via ${joinWords(
        channels.map(channelLink),
        'and',
      )} to help educate ${names.project} users and roll out the patched release to affected users.`,
    );
  if (policy.disclosure.distributorsList.enabled)
    blocks.push(
      `${names.project} distributors will handle creating and publishing their own security advisories.`,
    );
  if (a.template) blocks.push('The announcement follows this template:', fencedBlock(a.template));
  return blocks;
};

const retrospective: Section = (policy, names) => {
  const r = policy.fix.retrospective;
  if (!r.enabled) return [];
  const who = policy.fix.fixLead === 'round-robin' ? 'the Fix Lead' : `the ${names.team}`;
  const kind = r.blameless ? 'a blameless retrospective' : 'a retrospective';
  const text = r.afterRelease
    ? `Within ${dayRangeText(r.afterRelease)} after the release, ${who} will run ${kind} of the process, giving details on everyone involved, the timeline of the process, links to the changes that introduced the issue (if relevant), and any critiques of the response and release process. Everyone involved is encouraged to send their own feedback: honest critique is the only way we will improve.`
    : `After the release, the ${names.team} does ${kind} on the release for the vulnerability, if applicable.`;
  return ['### Retrospective', text];
};

const distributors: Section = (policy, names) => {
  const list = policy.disclosure.distributorsList;
  if (!list.enabled || !list.name || !list.email || !list.embargoPolicy) return [];
  const listName = escapeInline(list.name);
  const blocks = [
    `## Early disclosure to the ${listName}`,
    `The private list ${mailLink(list.email)} is intended to be used primarily to provide actionable information to multiple distributor projects at once. This list is not intended to inform individuals about security issues.`,
  ];
  if (list.noticeIncludes.length > 0)
    blocks.push('Early disclosure may include:', bullets(list.noticeIncludes.map(escapeInline)));
  if (list.noticeOmitsCveId) blocks.push('The CVE ID is left out of the early disclosure notice.');
  blocks.push(
    '### Membership criteria',
    `To be eligible to join the ${listName}, you should:`,
    numbered(list.membershipCriteria.map(escapeInline)),
    '**The terms and conditions of the Embargo Policy apply to all members of this mailing list. A request for membership represents your acceptance to the terms and conditions of the Embargo Policy.**',
    '### Embargo Policy',
    sanitizeProse(list.embargoPolicy),
    '### Requesting to join',
    `Send new membership requests to ${policy.contacts.securityTeam.email ? mailLink(policy.contacts.securityTeam.email) : `the ${names.team}`}. In the body of your request please specify how you qualify for membership and fulfill each criterion listed in the Membership criteria section above.`,
  );
  return blocks;
};

const PROPERTY_LABEL = {
  confidentiality: 'data confidentiality',
  integrity: 'integrity',
  'privilege-escalation': 'elevation of privilege',
  availability: 'availability',
} as const;

const impact: Section = (policy, names) => {
  const t = policy.triage;
  const blocks = ['## Confidentiality, integrity and availability'];
  if (t.priorities) {
    const text = [
      `We consider vulnerabilities leading to the compromise of ${joinWords(
        t.priorities.highest.map((p) => PROPERTY_LABEL[p]),
        'or',
      )} to be our highest priority concerns.`,
    ];
    for (const p of t.priorities.alsoSerious)
      text.push(
        p === 'availability'
          ? 'Availability, in particular in areas relating to DoS and resource exhaustion, is also a serious security concern.'
          : `${capitalise(PROPERTY_LABEL[p])} is also a serious security concern.`,
      );
    blocks.push(text.join(' '));
  }
  if (t.denialOfService.scope === 'high-risk-only') {
    const triggers = {
      'query-of-death': `A "query of death", where a single client query can crash ${names.project} entirely.`,
      'asymmetric-resource-exhaustion':
        'Highly asymmetric resource exhaustion attacks, where very little traffic can cause resource exhaustion, e.g. that delivered by a single client.',
    };
    const open = t.rejectionReasons.includes('ordinary-resource-use')
      ? 'In general, we will fix well-known resource consumption issues (e.g. high CPU or memory usage) in the open, using our normal process for bugfixes. '
      : '';
    blocks.push(
      `${open}We will activate the security process for disclosures that appear to present a significantly higher risk profile than simple "usage", for example:`,
      bullets(t.denialOfService.activatesFor.map((x) => triggers[x])),
    );
  } else {
    blocks.push(
      'Denial-of-service and resource-exhaustion reports go through this process like any other vulnerability.',
    );
  }
  if (t.defaultsStatement) blocks.push(sanitizeProse(t.defaultsStatement));
  blocks.push(
    '### Reports we decline',
    'A report is declined, always with a detailed reason sent to the reporter, when:',
    bullets(t.rejectionReasons.map(rejectionText)),
  );
  return blocks;
};

function rejectionText(reason: Policy['triage']['rejectionReasons'][number]): string {
  switch (reason) {
    case 'not-a-vulnerability':
      return 'The issue is not a vulnerability.';
    case 'lack-of-safe-defaults':
      return 'It relates to a lack of safe defaults: we will not act on such disclosures.';
    case 'only-unsupported-versions':
      return 'It affects only unsupported versions: it is then described in a public issue, with a CVE if its severity warrants one.';
    case 'ordinary-resource-use':
      return 'It is an ordinary resource-consumption issue, which is fixed in the open.';
    case 'out-of-scope':
      return 'It is outside the scope of this project.';
  }
}

const contacts: Section = (policy, names, ctx) => {
  const c = policy.contacts;
  const items: string[] = [];
  if (ctx.reportUrl) items.push(`Private report form: ${link(ctx.reportUrl, ctx.reportUrl)}`);
  if (c.securityTeam.email)
    items.push(
      `${names.team}: ${mailLink(c.securityTeam.email)}, for security reports; the team uses it to privately discuss security issues and fixes prior to disclosure.`,
    );
  const list = policy.disclosure.distributorsList;
  if (list.enabled && list.name && list.email)
    items.push(
      `${escapeInline(list.name)} (private, for early disclosure to distributors): ${mailLink(list.email)}`,
    );
  if (c.publicChannels.length > 0)
    items.push(`Public announcements: ${c.publicChannels.map(channelLink).join(', ')}`);
  if (ctx.pgpKey)
    items.push(`OpenPGP key for encrypted reports: ${link(ctx.pgpKey.fingerprint, ctx.pgpKey.url)}`);
  if (ctx.securityTxtUrl) items.push(`security.txt: ${link(ctx.securityTxtUrl, ctx.securityTxtUrl)}`);
  if (policy.project.repositoryUrl)
    items.push(`Source code: ${link(policy.project.repositoryUrl, policy.project.repositoryUrl)}`);
  return items.length > 0 ? ['## Contacts', bullets(items)] : [];
};

function channelLink(channel: Policy['contacts']['publicChannels'][number]): string {
  return channel.url ? link(channel.name, channel.url) : escapeInline(channel.name);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
