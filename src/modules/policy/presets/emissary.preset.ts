/**
 * Emissary-ingress's "Security Release Process" (seed 001), derived from Envoy's: a round-robin
 * Fix Lead, phase timelines and no distributors list. PROCESS.md §10 lists what it commits to.
 */
export const emissaryPresetYaml = `# Emissary-ingress's security release process as a Vigil policy.
# Source: SECURITY.md of emissary-ingress/emissary (seed 001). "All of the timelines below are
# suggestions and assume a private disclosure": every window is counted in calendar days from the
# private report ("Disclosure" in the seed's words).
apiVersion: vigil.dev/v1
kind: SecurityPolicy

project:
  name: Emissary-ingress
  repositoryUrl: https://github.com/emissary-ingress/emissary
  # "The vulnerability will be described as a GitHub issue"
  issueTrackerUrl: https://github.com/emissary-ingress/emissary/issues
  releasesUrl: null
  # Emissary announces on Slack; the seed names no advisory page.
  advisoriesUrl: null

# The seed names no time zone or holiday calendar.
timeZone: UTC
holidays: null

contacts:
  securityTeam:
    name: Emissary Security Team (EMST)
    email: secalert@datawire.io
    # "The initial Emissary Security Team will consist of all maintainers"
    members: all Emissary maintainers
  # Where the Fix Lead announces the forthcoming fix and the release.
  publicChannels:
    - name: '#emissary on the Emissary Slack'
      url: https://a8r.io/slack
    - name: '#general on the Emissary Slack'
      url: https://a8r.io/slack

intake:
  caseIdPrefix: EMI
  maxAttachmentBytesPerCase: 26214400 # 25 MiB
  # The seed asks for no particular report contents.
  reportContents: []
  # "all suspected vulnerabilities be privately and responsibly disclosed"; "If you know of a
  # publicly disclosed security vulnerability please IMMEDIATELY email secalert@datawire.io".
  acceptedReportKinds:
    - vulnerability
    - suspected-vulnerability
    - publicly-known-vulnerability
  dependencyExample: null
  subjectHint: One descriptive line, e.g. “A crafted Host header bypasses the AuthService on a Mapping”.
  # The seed does not say where non-security bugs go.
  redirectNonSecurityBugs: false

triage:
  # No number of days is stated (PROCESS.md §10: "immediate acknowledgement expected").
  firstResponse: null
  # "we will fix well-known resource consumption issues ... in the open"; "If a security
  # vulnerability affects only unsupported versions ... no new release will be created".
  rejectionReasons:
    - not-a-vulnerability
    - only-unsupported-versions
    - ordinary-resource-use
  defaultsStatement: >-
    Note that while we generally consider the installation mechanisms provided by the
    Emissary-ingress project (our published Helm charts and manifests) "safe", there is no way to
    guarantee that the published installation mechanisms will always work in any specific setting.
    Ultimately, Emissary operators need to understand the impact of their own configurations,
    especially in larger installations.
  # "We will activate the security process for disclosures that appear to present a significantly
  # higher risk profile than simple 'usage'".
  denialOfService:
    scope: high-risk-only
    activatesFor: [query-of-death, asymmetric-resource-exhaustion]
  priorities:
    highest: [confidentiality, integrity]
    alsoSerious: [availability]

severity:
  # "The Fix Lead makes the final call on the calculated CVSS"
  cvssFinalCall: fix-lead
  lowSeverityThreshold: 4.0
  # "If the CVSS score is under 4.0 ... the Fix Team can decide to slow the release process down in
  # the face of holidays, developer bandwidth, etc. These decisions must be discussed on the
  # secalert mailing list."
  lowSeveritySlowDown:
    alsoWhenAssessedRiskLow: false
    decidedBy: fix-team
    discussedIn: the secalert mailing list (secalert@datawire.io)
  # "If the Fix Lead is dealing with a public disclosure all timelines become ASAP (assuming the
  # vulnerability has a CVSS score >= 4)". The EMST first asks whether it can be handled privately.
  publicDisclosure:
    allTimelinesAsap: true
    minimumCvss: 4.0
    askReporterToHandlePrivately: true

fix:
  # "The role of Fix Lead should rotate round-robin across the EMST."
  fixLead: round-robin
  # The private fix repository is seeded from here with the branch of every supported line
  # (a private temporary fork, PROCESS.md §6). Null starts it empty.
  upstreamRepository: https://github.com/emissary-ingress/emissary.git
  # What a runner runs on every push to the fix repository; null: no CI. Fill in your own.
  testCommand: null
  testTimeoutMinutes: 30
  # "Fix Team Organization: These steps should be completed within the first 24 hours of disclosure."
  fixTeamOrganised:
    withinHours: 24
  # "Fix Development Process: These steps should be completed within the 1-7 days of Disclosure."
  fixDeveloped:
    minDays: 1
    maxDays: 7
  # "Disclosure of Forthcoming Fix to Users (Completed within 1-7 days of Disclosure)"
  usersToldOfFix:
    minDays: 1
    maxDays: 7
  # "Fix Release Day (Completed within 1-21 days of Disclosure)"
  release:
    minDays: 1
    maxDays: 21
  # "If the fix relies on another upstream project's disclosure timeline, that will adjust the process as well."
  followUpstreamTimeline: true
  # "These steps should be completed 1-3 days after the Release Date. The retrospective process should be blameless."
  retrospective:
    enabled: true
    afterRelease:
      minDays: 1
      maxDays: 3
    blameless: true

disclosure:
  # Emissary has no distributors list.
  distributorsList:
    enabled: false
  # The Fix Lead sets the Release Date, which is also the public disclosure; nobody negotiates it.
  negotiationParties: []
  finalSay: fix-lead
  criticalTarget: null
  # Disclosure happens with the release, at most 21 days after the report (the release window).
  maxEmbargoDays: 21
  # "stating the new releases, the CVE number, and the relevant merged PRs ... links on how to apply
  # the fix to user's environments".
  announcement:
    includes:
      - The new releases
      - The CVE number, with the CVSS and release details
      - The relevant merged PRs
      - Links on how to apply the fix to users' environments, which can include external distributor documentation
    # Where Vigil mails the announcement at publication (the users' list); the seed names none.
    addresses: []

releases:
  # "typically the most recent minor release, e.g. 1.13": fill in the current line.
  supportedLines: []
  # Fix branches in the private repository: the main branch and one per supported line.
  mainBranch: main
  branchPattern: release-{line}
  supportNote: Typically the most recent minor release is supported.
  # "A patch release will be created (e.g. 1.13.10) with the fix, and the fix will also be made on master."
  backportToAllSupported: true
  # "Security vulnerabilities that warrant action per this process will be considered release blockers."
  securityFixesBlockReleases: true
  # The fix is developed in private security repos and only made public on release day.
  fixCommitsMustNotRevealIssue: false
  # "Changes shouldn't be made to the commits even for a typo in the CHANGELOG"
  fixCommitsAreNotRewritten: true
`;
