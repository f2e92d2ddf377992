/**
 * The default `distributors` template: the early-disclosure mail of Contour's security response
 * checklist (seeds/004_7ff3cee86a685efc.txt, step "Send email to the Distributors"; PROCESS.md §7):
 * description of the vulnerability, versions affected, known attack vectors, possible workarounds,
 * next steps including the patch releases, a request for buy-in on the release date, the CVE ID
 * left out (the context does not hold it), the embargo note at the bottom and the `#security`
 * tag in the subject. The first line is the mail's subject.
 */
export const DISTRIBUTORS_TEMPLATE = `Subject: [EMBARGOED] {{project.name}} security release planned for {{releaseAt.date}} #security
{{! Based on the distributors email of Contour's security response checklist (seeds/004). }}
The {{project.securityTeam.name}} is preparing security patch releases of {{project.name}}. This early
disclosure is embargoed: see the note at the bottom.

Description of the vulnerability
{{title}}{{#severity}} ({{label}}, CVSS {{score}}){{/severity}}

{{description}}

{{project.name}} versions affected
{{#affected}}
* {{package}} ({{ecosystem}}): {{rangesText}}
{{/affected}}

Known attack vectors
{{#attackVector}}
Attack vector (CVSS): {{attackVector}}
{{/attackVector}}
{{^attackVector}}
See the description above.
{{/attackVector}}

Possible workarounds (to avoid the vulnerable code until you upgrade)
{{#workarounds}}
{{workarounds}}
{{/workarounds}}
{{^workarounds}}
None known.
{{/workarounds}}

Mitigations (to reduce the risk until you upgrade)
{{#mitigations}}
{{mitigations}}
{{/mitigations}}
{{^mitigations}}
None known.
{{/mitigations}}

Next steps
We plan to release the patch releases {{upgradeVersions}} and to publish the advisory on
{{releaseAt.words}} ({{releaseAt.utc}}).
{{#patchedVersions}}
* {{package}}: {{versionsText}}
{{/patchedVersions}}

Please let us know whether this release date works for you, or whether you have any objection to it,
so that we can agree on it before the release.

{{project.securityTeam.name}}{{#project.securityTeam.email}} <{{project.securityTeam.email}}>{{/project.securityTeam.email}}

{{embargoNote}}
`;
