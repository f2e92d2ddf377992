/**
 * Sesame's process: its "Security Report Process" page (seed 000), a fork of Contour's. The
 * wording is the seed's; PROCESS.md §10 lists what it commits to.
 */
export const sesamePresetYaml = `# Sesame's security process as a Vigil policy.
# Source: Sesame's "Security Report Process" (seed 000), a fork of Contour's. Sesame publishes no
# checklist of its own: where PROCESS.md groups Sesame with Contour (distributor notice, retrospective,
# commit messages), this preset follows Contour's checklist, as noted below.
apiVersion: vigil.dev/v1
kind: SecurityPolicy

project:
  name: Sesame
  repositoryUrl: https://github.com/projectsesame/sesame
  issueTrackerUrl: https://github.com/projectsesame/sesame/issues/new/choose
  releasesUrl: https://github.com/projectsesame/sesame/blob/main/RELEASES.md # the seed links ./RELEASES.md
  advisoriesUrl: https://github.com/projectsesame/sesame/security/advisories

# The seed names no time zone or holiday calendar: business days are counted in UTC, weekends only.
timeZone: UTC
holidays: null

contacts:
  securityTeam:
    name: Sesame Security Team
    email: cncf-Sesame-maintainers@lists.cncf.io # spelt as in the seed
    members: Sesame maintainers who have committer and release permissions
  # "additional communication via Slack, Twitter, mailing lists, blog and other channels"; the seed
  # gives no addresses.
  publicChannels:
    - name: Slack
    - name: Twitter
    - name: mailing lists
    - name: blog

intake:
  caseIdPrefix: SES
  maxAttachmentBytesPerCase: 26214400 # 25 MiB
  # "Proposed Email Content"
  reportContents:
    - A descriptive subject line.
    - Basic identity information, such as your name or how you want to be referred to and your affiliation or company, if any.
    - Detailed steps to reproduce the vulnerability (POC scripts, screenshots, and compressed packet captures are all helpful to us).
    - Description of the effects of the vulnerability on Sesame and the related hardware and software configurations, so that the Sesame Security Team can reproduce it.
    - How the vulnerability affects Sesame usage and an estimation of the attack surface, if there is one.
    - List other projects or dependencies that were used in conjunction with Sesame to produce the vulnerability.
  # "When to report a vulnerability", and "If you know of a publicly disclosed security vulnerability".
  acceptedReportKinds:
    - vulnerability
    - suspected-vulnerability
    - dependency-vulnerability
    - publicly-known-vulnerability
  dependencyExample: Sesame has a dependency on Envoy.
  subjectHint: One descriptive line, e.g. “A TLS delegation lets one namespace use another namespace’s certificate”.
  # "Do not report non-security-impacting bugs through this channel. Use GitHub issues instead."
  redirectNonSecurityBugs: true

triage:
  # "Emails will be addressed within 3 business days, including a detailed plan to investigate the
  # issue and any potential workarounds to perform in the meantime."
  firstResponse:
    businessDays: 3
    includesInvestigationPlan: true
  rejectionReasons:
    - not-a-vulnerability
    - lack-of-safe-defaults
  defaultsStatement: >-
    Note that we do not currently consider the default settings for Sesame to be secure-by-default.
    It is necessary for operators to explicitly configure settings, role based access control, and
    other resource related features in Sesame to provide a hardened Sesame environment. We will not
    act on any security disclosure that relates to a lack of safe defaults. Over time, we will work
    towards improved safe-by-default configuration, taking into account backwards compatibility.
  # "Availability, in particular in areas relating to DoS and resource exhaustion, is also a serious
  # security concern": every DoS report goes through the process.
  denialOfService:
    scope: all
  priorities:
    highest: [confidentiality, privilege-escalation, integrity]
    alsoSerious: [availability]

severity:
  # "The Security Team makes the final call on the calculated CVSS"
  cvssFinalCall: security-team
  lowSeverityThreshold: 4.0
  # The seed allows no low-severity slow-down.
  lowSeveritySlowDown: null
  # "from immediate (especially if it's already publicly known)"
  publicDisclosure:
    allTimelinesAsap: true
    minimumCvss: null
    askReporterToHandlePrivately: false

fix:
  # The Security Team handles each report; the seed names no Fix Lead and no phase durations.
  fixLead: security-team
  # The private fix repository is seeded from here with the branch of every supported line
  # (a private temporary fork, PROCESS.md §6). Null starts it empty.
  upstreamRepository: https://github.com/projectsesame/sesame.git
  # What a runner runs on every push to the fix repository; null: no CI. Fill in your own.
  testCommand: null
  testTimeoutMinutes: 30
  fixTeamOrganised: null
  fixDeveloped: null
  usersToldOfFix: null
  # "patched on the next patch (or minor) release as soon as possible": no fixed window.
  release: null
  followUpstreamTimeline: false
  # Not in Sesame's page; PROCESS.md §10 gives Sesame Contour's checklist retrospective ("Do a team
  # retrospective on the release for the CVE if applicable"), with no fixed timing.
  retrospective:
    enabled: true
    afterRelease: null

disclosure:
  distributorsList:
    enabled: true
    name: Sesame Distributors mailing list
    email: cncf-Sesame-distributors-announce@lists.cncf.io
    membershipCriteria:
      - Be an active distributor of Sesame.
      - Have a user base that is not limited to your own organization.
      - Have a publicly verifiable track record up to the present day of fixing security issues.
      - Not be a downstream or rebuild of another distributor.
      - Be a participant and active contributor in the Sesame community.
      - Accept the Embargo Policy that is outlined below.
      - Have someone who is already on the list vouch for the person requesting membership on behalf of your distribution.
    embargoPolicy: |-
      The information that members receive on the Sesame Distributors mailing list must not be made public, shared, or even hinted at anywhere beyond those who need to know within your specific team, unless you receive explicit approval to do so from the Sesame Security Team. This remains true until the public disclosure date/time agreed upon by the list. Members of the list and others cannot use the information for any reason other than to get the issue fixed for your respective distribution's users.
      Before you share any information from the list with members of your team who are required to fix the issue, these team members must agree to the same terms, and only be provided with information on a need-to-know basis.

      In the unfortunate event that you share information beyond what is permitted by this policy, you must urgently inform the [Sesame Security Team](https://github.com/projectsesame/sesame/security/policy#mailing-lists) of exactly what information was leaked and to whom. If you continue to leak information and break the policy outlined here, you will be permanently removed from the list.
    # "Early disclosure may include mitigating steps and additional information on security patch releases."
    noticeIncludes:
      - Mitigating steps
      - Additional information on security patch releases
    # "The CVE will initially be set to private": its ID stays out of the notice (PROCESS.md §4).
    noticeOmitsCveId: true
  # "A public disclosure date is negotiated by the Sesame Security Team, the bug submitter, and the
  # distributors list." ... "The Sesame Security Team holds the final say".
  negotiationParties: [security-team, reporter, distributors]
  finalSay: security-team
  # "the bug or the fix is not yet fully understood, the solution is not well-tested, or for
  # distributor coordination"
  delayReasons: [not-understood, not-well-tested, distributor-coordination]
  # "For a critical vulnerability with a straightforward mitigation, we expect report date to public
  # disclosure date to be on the order of 14 business days."
  criticalTarget:
    businessDays: 14
  # "The timeframe for disclosure is from immediate ... to a few weeks": read "a few weeks" as at
  # most four, so 28 calendar days from the report; the 14-business-day target fits inside it.
  maxEmbargoDays: 28
  # The "Public Disclosure Process".
  announcement:
    includes:
      - A public advisory on GitHub
      - Mitigating steps users can take until the fix can be applied to their Sesame instances
    # Where Vigil mails the announcement at publication (the users' list); the seed names none.
    addresses: []

releases:
  # Fill in the minor lines RELEASES.md lists as supported; every one gets a patch release.
  supportedLines: []
  # Fix branches in the private repository: the main branch and one per supported line.
  mainBranch: main
  branchPattern: release-{line}
  # "backport a patch release into all earlier supported releases".
  backportToAllSupported: true
  # Not in Sesame's page: Contour's checklist rule, which PROCESS.md §5 applies to every project
  # ("nothing in a commit, branch name or PR title may give the issue or its CVE away").
  fixCommitsMustNotRevealIssue: true
`;
