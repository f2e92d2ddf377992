/**
 * The default `announcement` template: k8spolicy's "Security Fix Announcement Template"
 * (seeds/003_1f5bad483e38e56d.txt, k8spolicy SECURITY.md; PROCESS.md §8), its headings and
 * sentences kept, its `$CVSS`, `$CVESUMMARY`, `$VERSION` placeholders filled from the advisory.
 * The first line is the mail's subject.
 */
export const ANNOUNCEMENT_TEMPLATE = `Subject: [SECURITY] {{project.name}}: {{identifier}} fixed in {{upgradeVersions}}
{{! Based on k8spolicy's Security Fix Announcement Template (seeds/003). }}
This addresses the following CVE(s):

* {{identifier}} (CVSS score {{severity.score}}, {{severity.label}}): {{summary}}

Upgrading to {{upgradeVersions}} is encouraged to fix these issues.

**Am I vulnerable?**

Check the project version and if it is in one of these affected ranges that means it is a vulnerable version:
{{#affected}}
* {{package}} ({{ecosystem}}): {{rangesText}}
{{/affected}}
{{#amIVulnerable}}

{{amIVulnerable}}
{{/amIVulnerable}}
{{#hasMitigations}}

**How do I mitigate the vulnerability?**
{{#workarounds}}

Workarounds (to avoid the vulnerable code until you upgrade):

{{workarounds}}
{{/workarounds}}
{{#mitigations}}

Mitigations (to reduce the risk until you upgrade):

{{mitigations}}
{{/mitigations}}
{{/hasMitigations}}

**How do I upgrade?**

{{#patchedVersions}}
* {{package}} ({{ecosystem}}): upgrade to {{versionsText}}
{{/patchedVersions}}

**Vulnerability Details**

{{identifier}}: {{title}}

{{description}}

{{#cvss}}
* CVSS {{version}}: {{score}} ({{label}}) {{vector}}
{{/cvss}}
{{#cwes}}
* {{id}}: {{name}}
{{/cwes}}
{{#references}}
* {{url}}
{{/references}}
{{#hasCredits}}

**Credit**

{{#credits}}
* {{name}} ({{typeLabel}})
{{/credits}}
{{/hasCredits}}
`;
