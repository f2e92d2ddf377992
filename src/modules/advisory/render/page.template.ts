/**
 * The default `page` template: the public advisory page published when the embargo ends
 * (PROCESS.md §8), with the sections of k8spolicy's announcement (seeds/003): identifier, CVSS and
 * summary, affected and patched versions, "Am I vulnerable?", mitigations, details, credit.
 * HTML: values are escaped; the `...Html` variables are Markdown rendered sanitised (triple braces),
 * and the whole output is sanitised again.
 */
export const PAGE_TEMPLATE = `{{! The public advisory page (PROCESS.md §8; sections after seeds/003). }}
<article>
<h1>{{title}}</h1>
<p><strong>{{identifier}}</strong>{{#severity}} · {{label}} (CVSS {{score}}){{/severity}} · {{project.name}}</p>
<p>{{summary}}</p>
<h2>Affected versions</h2>
<table>
<thead><tr><th>Package</th><th>Ecosystem</th><th>Affected</th><th>Patched</th></tr></thead>
<tbody>
{{#affected}}
<tr><td>{{package}}</td><td>{{ecosystem}}</td><td>{{rangesText}}</td><td>{{fixedText}}</td></tr>
{{/affected}}
</tbody>
</table>
<h2>Description</h2>
{{{descriptionHtml}}}
{{#amIVulnerable}}
<h2>Am I vulnerable?</h2>
{{{amIVulnerableHtml}}}
{{/amIVulnerable}}
{{#hasMitigations}}
<h2>How do I mitigate the vulnerability?</h2>
{{#workarounds}}
<h3>Workarounds</h3>
<p>To avoid the vulnerable code until you upgrade:</p>
{{{workaroundsHtml}}}
{{/workarounds}}
{{#mitigations}}
<h3>Mitigations</h3>
<p>To reduce the risk until you upgrade:</p>
{{{mitigationsHtml}}}
{{/mitigations}}
{{/hasMitigations}}
{{#hasCvss}}
<h2>Severity</h2>
<ul>
{{#cvss}}
<li>CVSS {{version}}: {{score}} ({{label}}) <code>{{vector}}</code></li>
{{/cvss}}
</ul>
{{/hasCvss}}
{{#hasCwes}}
<h2>Weaknesses</h2>
<ul>
{{#cwes}}
<li>{{id}}: {{name}}</li>
{{/cwes}}
</ul>
{{/hasCwes}}
{{#hasReferences}}
<h2>References</h2>
<ul>
{{#references}}
<li><a href="{{url}}">{{url}}</a></li>
{{/references}}
</ul>
{{/hasReferences}}
{{#hasCredits}}
<h2>Credit</h2>
<ul>
{{#credits}}
<li>{{name}} ({{typeLabel}})</li>
{{/credits}}
</ul>
{{/hasCredits}}
</article>
`;
