/**
 * k8spolicy's "Security Vulnerability Process" (seed 003), after sigstore's: one maintainer, a
 * GitHub security advisory and a temporary private fork, and an announcement template.
 * PROCESS.md §10 lists what it commits to.
 */
export const k8spolicyPresetYaml = `# k8spolicy's security vulnerability process as a Vigil policy.
# Source: SECURITY.md of ckotzbauer/k8spolicy (seed 003). "All of the timelines below are
# suggestions and assume a Private Disclosure": windows count calendar days from the report.
apiVersion: vigil.dev/v1
kind: SecurityPolicy

project:
  name: k8spolicy
  repositoryUrl: https://github.com/ckotzbauer/k8spolicy
  issueTrackerUrl: null
  releasesUrl: null
  # "I will create a new security advisory in affected repository"
  advisoriesUrl: https://github.com/ckotzbauer/k8spolicy/security/advisories

# The seed names no time zone or holiday calendar.
timeZone: UTC
holidays: null

contacts:
  securityTeam:
    name: k8spolicy maintainer (Christian Kotzbauer)
    # The seed says "email me" but gives no address: reports arrive through Vigil's report form.
    email: null
    # A one-person project: the name says who.
    members: null
  # The seed names no public channel: the advisory and the release are the announcement.
  publicChannels: []

intake:
  caseIdPrefix: K8SP
  maxAttachmentBytesPerCase: 26214400 # 25 MiB
  # The seed asks for no particular report contents.
  reportContents: []
  # "all suspected vulnerabilities be handled in accordance with Responsible Disclosure model";
  # "If anyone knows of a publicly disclosed security vulnerability please IMMEDIATELY email me".
  acceptedReportKinds:
    - vulnerability
    - suspected-vulnerability
    - publicly-known-vulnerability
  dependencyExample: null
  subjectHint: One descriptive line, e.g. “A crafted admission request skips a ClusterPolicy’s validation”.
  redirectNonSecurityBugs: false

triage:
  # Not stated.
  firstResponse: null
  # "Assess the impact of the vulnerability (can it be replicated, is the code in one of my repos or upstream?)"
  rejectionReasons:
    - not-a-vulnerability
  defaultsStatement: null
  denialOfService:
    scope: all
  priorities: null

severity:
  # "Use the CVSS calculator to score a severity level."
  cvssFinalCall: maintainer
  lowSeverityThreshold: 4.0
  # "If the CVSS score is under ~4.0 (a low severity score) or the assessed risk is low I can decide
  # to slow the release process down in the face of holidays, developer bandwidth, etc. The severity
  # of the bug and related handling decisions must be discussed on in the security advisory, never
  # in public repos."
  lowSeveritySlowDown:
    thresholdApproximate: true
    alsoWhenAssessedRiskLow: true
    decidedBy: maintainer
    discussedIn: the security advisory, never in public repos
  # "If I'm dealing with a Public Disclosure all timelines become ASAP." "If a reporter contacts me to
  # express intent to make an issue public before a fix is available, I will request if the issue
  # can be handled via a private disclosure process."
  publicDisclosure:
    allTimelinesAsap: true
    minimumCvss: null
    askReporterToHandlePrivately: true

fix:
  # "For each vulnerability, I will coordinate to create the fix and release, and notify the public."
  fixLead: maintainer
  # The private fix repository is seeded from here with the branch of every supported line
  # (a private temporary fork, PROCESS.md §6). Null starts it empty.
  upstreamRepository: https://github.com/ckotzbauer/k8spolicy.git
  # What a runner runs on every push to the fix repository; null: no CI. Fill in your own.
  testCommand: null
  testTimeoutMinutes: 30
  fixTeamOrganised: null
  # "Fix Development Process: These steps should be completed within the 1-14 days of Disclosure."
  fixDeveloped:
    minDays: 1
    maxDays: 14
  usersToldOfFix: null
  # "Fix Release Day (Completed within 1-21 days of Disclosure)"
  release:
    minDays: 1
    maxDays: 21
  # "If the fix relies on another upstream project's disclosure timeline, that will adjust the process
  # as well. I will work with the upstream project to fit their timeline and best protect the users."
  followUpstreamTimeline: true
  retrospective:
    enabled: false

disclosure:
  # k8spolicy has no distributors list.
  distributorsList:
    enabled: false
  # "I will decide on a release day, if the work is completed."
  negotiationParties: []
  finalSay: maintainer
  criticalTarget: null
  # Disclosure happens with the release, at most 21 days after the report (the release window).
  maxEmbargoDays: 21
  # "I will announce the new releases, the CVE number, severity, and impact, and the location of the
  # binaries ... include any mitigating steps users can take prior to upgrading to a fixed version."
  announcement:
    includes:
      - The new releases
      - The CVE number, severity, and impact
      - The location of the binaries
      - Any mitigating steps users can take prior to upgrading to a fixed version
    # Where Vigil mails the announcement at publication (the users' list); the seed names none.
    addresses: []
    # "Security Fix Announcement Template"
    template: |-
      This addresses the following CVE(s):

      * CVE-YEAR-ABCDEF (CVSS score $CVSS): $CVESUMMARY
      ...

      Upgrading to $VERSION is encouraged to fix these issues.

      **Am I vulnerable?**

      Check the project version and if it indicates a base version of $OLDVERSION or
      older that means it is a vulnerable version.

      <!-- Provide details on features, extensions, configuration that make it likely that a system is
      vulnerable in practice. -->

      **How do I mitigate the vulnerability?**

      <!--
      [This is an optional section. Remove if there are no mitigations.]
      -->

      **How do I upgrade?**

      <!--
      [Outline upgrade steps]
      -->

      **Vulnerability Details**

      <!--
      [For each CVE]
      -->

releases:
  # The seed keeps no support matrix: fixes are merged into the main branch and released.
  supportedLines: []
  # Fix branches in the private repository: the main branch and one per supported line.
  mainBranch: main
  branchPattern: release-{line}
  backportToAllSupported: false
  # The fix lives in the advisory's temporary private fork until release day.
  fixCommitsMustNotRevealIssue: false
`;
