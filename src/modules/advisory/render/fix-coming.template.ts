/**
 * The default `fix-coming` template: Emissary's "Disclosure of Forthcoming Fix to Users"
 * (seeds/001_2d539b802b2addcb.txt, Fix Disclosure Process; PROCESS.md §8): users learn that a
 * vulnerability was disclosed and that a fix comes at a specific date and time (the Release Date),
 * with the mitigating steps they can take until then; actionable, so they know when to block time.
 * It names neither the flaw nor its CVE id. The first line is the mail's subject.
 */
export const FIX_COMING_TEMPLATE = `Subject: [SECURITY] {{project.name}}: a security fix will be released on {{releaseAt.utc}}
{{! Based on Emissary's Disclosure of Forthcoming Fix to Users (seeds/001). }}
A security vulnerability in {{project.name}} has been disclosed to the {{project.securityTeam.name}}, and a fix
will be made available on {{releaseAt.words}} ({{releaseAt.utc}}). This time is the Release Date.
{{#severity}}

Severity: {{label}} (CVSS {{score}}).
{{/severity}}

Affected versions:
{{#affected}}
* {{package}} ({{ecosystem}}): {{rangesText}}
{{/affected}}

Please block time to apply the patch releases{{#upgradeVersions}} ({{upgradeVersions}}){{/upgradeVersions}} on the Release Date.

Mitigating steps you can take until the fix is available:
{{#workarounds}}

Workarounds (to avoid the vulnerable code):

{{workarounds}}
{{/workarounds}}
{{#mitigations}}

Mitigations (to reduce the risk):

{{mitigations}}
{{/mitigations}}

We will announce the new releases and the details of the vulnerability here on the Release Date.

{{project.securityTeam.name}}{{#project.securityTeam.email}} <{{project.securityTeam.email}}>{{/project.securityTeam.email}}
`;
