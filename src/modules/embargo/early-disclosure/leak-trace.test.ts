import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyChoices, choicesFromSeed, findSlots, type Layout } from './copy-variations.js';
import { scoreCopies, tailProbability, wordingVerdict, type TraceSend } from './leak-trace.js';
import { invisibleMark, markedCodesIn, newReferenceCode, referenceCodesIn } from './reference-code.js';
import { pruneAmbiguous } from './slot-patterns.js';
import { traceTokens } from './trace-tokens.js';

const EMBARGO =
  'The information that members receive on the Contour Distributors mailing list must not be made public, shared, or even hinted at anywhere beyond those who need to know within your specific team. This does not change until the agreed date.';

/** A notice as the default distributors template renders it, with a realistic description. */
export const NOTICE_BODY = `The Contour Security Team is preparing security patch releases of Contour. This early
disclosure is embargoed: see the note at the bottom.

Description of the vulnerability
Request smuggling in the ext_authz filter (High, CVSS 8.2)

The ext_authz filter does not check the Transfer-Encoding header of a request before it forwards
the request upstream. A client that sends two Transfer-Encoding headers, e.g. one in upper case
and one in lower case, is able to smuggle a second request past the authorization check. This
allows an attacker to reach routes that are not meant to be public, such as the admin listener,
and can lead to a full bypass of the authentication configured on the route.

The issue is present when the filter is configured in front of a third-party upstream that
doesn't normalise headers, i.e. most HTTP/1.1 servers. It is not exploitable over HTTP/2, since
the codec rejects duplicate headers prior to any filter running; however, deployments that
downgrade to HTTP/1.1 toward the upstream are affected. An attacker cannot read the responses to
the smuggled request, but they are able to trigger side effects such as writes, and the logs
don't record the second request, which makes the attack hard to detect. We have not seen it
exploited in the wild. The "invalid header" error seen in debug logs is a symptom.

Contour versions affected
* github.com/projectcontour/contour (Go): >= 1.26.0, < 1.26.3; >= 1.27.0, < 1.27.2
* github.com/projectcontour/contour/v2 (Go): >= 2.0.0, < 2.0.1

Known attack vectors
Attack vector (CVSS): Network

Possible workarounds
Do not route untrusted traffic to listeners with ext_authz enabled. Alternatively, set
max_request_headers_kb so that requests with duplicate headers are rejected, or deploy a
well-known proxy in front of Contour that drops them. Note that this does not help when the
upstream is reached via a TCP proxy. See https://projectcontour.io/docs/ext-authz-allow for the
configuration, and \`httpVersions: [HTTP/2]\` keeps the listener on HTTP/2.

Next steps
We plan to release the patch releases 1.26.3, 1.27.2 and 2.0.1 and to publish the advisory on
Tuesday, 8 December 2026 at 16:00 UTC (2026-12-08 16:00 UTC).
* github.com/projectcontour/contour: 1.26.3, 1.27.2
* github.com/projectcontour/contour/v2: 2.0.1

Please let us know whether this release date works for you, or whether you have any objection to it,
so that we can agree on it before the release.

Contour Security Team <cncf-contour-maintainers@lists.cncf.io>

${EMBARGO}
`;

function layoutOf(body: string): Layout {
  return pruneAmbiguous({ subject: 'Subject', body, slots: findSlots(body, [EMBARGO]) });
}

function copiesOf(layout: Layout, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const choices = choicesFromSeed(randomBytes(32), layout.slots);
    return { copyId: `copy-${i}`, choices, text: applyChoices(layout, choices) };
  });
}

/** What a leak looks like after a forum: rewrapped, spaces collapsed, quotes/dashes changed, quoted. */
function reformat(text: string): string {
  const words = text
    .replace(/[\u200B-\u200D\u2060]/g, '')
    .replace(/'/g, '\u2019')
    .replace(/"([^"]*)"/g, '\u201C$1\u201D')
    .replace(/ - /g, ' \u2014 ')
    .split(/\s+/)
    .filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if ((line + ' ' + w).length > 58) {
      lines.push(`> ${line}`);
      line = w;
    } else line = line ? `${line}  ${w}` : w;
  }
  lines.push(`> ${line}`);
  return lines.join('\n');
}

describe('copy variations', () => {
  const layout = layoutOf(NOTICE_BODY);

  it('finds many slots, none in the embargo note, URLs, code or quoted text', () => {
    expect(layout.slots.length).toBeGreaterThanOrEqual(25);
    const note = NOTICE_BODY.indexOf(EMBARGO);
    for (const s of layout.slots) {
      const text = NOTICE_BODY.slice(s.start, s.end);
      expect(s.start < note + EMBARGO.length && note < s.end, text).toBe(false);
      expect(NOTICE_BODY.slice(Math.max(0, s.start - 30), s.end + 30)).not.toMatch(
        /https:\/\/projectcontour\.io\/docs\/ext-authz-allow(?=\S*$)/,
      );
    }
    const rules = new Set(layout.slots.map((s) => s.rule));
    for (const r of ['contraction', 'wording', 'spelling', 'hyphen', 'serial-comma', 'semicolon', 'order'])
      expect(rules, r).toContain(r);
    const texts = layout.slots.map((s) => NOTICE_BODY.slice(s.start, s.end));
    expect(texts).not.toContain('allow'); // in the URL
    expect(texts).not.toContain('invalid header');
  });

  it('keeps the text equivalent: the same words but for the chosen spellings', () => {
    const [a, b] = copiesOf(layout, 2);
    expect(a?.text).not.toBe(b?.text);
    expect(a?.text).toContain(EMBARGO);
    expect(a?.text).toContain('https://projectcontour.io/docs/ext-authz-allow');
    expect(a?.text).toContain('`httpVersions: [HTTP/2]`');
    expect(a?.text).toMatch(/(Do not|Don't) route untrusted traffic/);
    // Either order of two equivalent list items; both always there.
    expect(a?.text).toContain('* github.com/projectcontour/contour/v2 (Go): >= 2.0.0, < 2.0.1');
  });

  it('varies only where the variants read the same', () => {
    const texts = (body: string) => findSlots(body).map((s) => body.slice(s.start, s.end));
    expect(texts('The authorization header is sent. An attacker that can read it wins.')).toEqual([]);
    expect(texts('Wait a while. It is. Let us know. DO NOT share it. See "it is not allowed".')).toEqual([
      'Let us know',
    ]);
    expect(texts('A route that is public does not check authorization for the user.')).toEqual([
      'that',
      'does not',
      'authorization',
    ]);
    expect(texts('Set `do not` in https://example.org/do-not-allow or <ops@example.org>.')).toEqual([]);
  });

  it('draws the same choices from the same seed', () => {
    const seed = randomBytes(32);
    expect(choicesFromSeed(seed, layout.slots)).toEqual(choicesFromSeed(seed, layout.slots));
  });
});

describe('leak tracing', () => {
  const layout = layoutOf(NOTICE_BODY);
  const copies = copiesOf(layout, 40);
  const sends: TraceSend[] = [{ sendId: 'send-1', layout, copies }];

  it('names the copy of a reformatted middle part, with the evidence', () => {
    const leaker = copies[17];
    if (!leaker) throw new Error('no copy');
    const whole = reformat(leaker.text);
    const part = whole.slice(Math.floor(whole.length * 0.3), Math.floor(whole.length * 0.7));
    const result = scoreCopies(sends, part);
    const [best, second] = result.candidates;
    expect(best?.copyId).toBe('copy-17');
    expect(best?.mismatched).toBe(0);
    expect(best?.observed).toBeGreaterThanOrEqual(10);
    expect(best?.pRandom).toBeLessThan(0.001);
    expect((second?.posterior ?? 1) * 100).toBeLessThan(1);
    expect(wordingVerdict(best, copies.length)).toBe('identified');
    expect(best?.evidence.every((e) => e.match)).toBe(true);
  });

  it('still names it when the leaker retyped one or two words', () => {
    const leaker = copies[3];
    if (!leaker) throw new Error('no copy');
    const edited = leaker.text
      .replace(/\b(doesn't|does not)\b/, (w) => (w === 'does not' ? "doesn't" : 'does not'))
      .replace(/\b(allows|permits)\b/, (w) => (w === 'allows' ? 'permits' : 'allows'));
    const result = scoreCopies(sends, reformat(edited));
    expect(result.candidates[0]?.copyId).toBe('copy-3');
    expect(result.candidates[0]?.mismatched).toBeGreaterThanOrEqual(1);
    expect(wordingVerdict(result.candidates[0], copies.length)).toBe('identified');
  });

  it('is inconclusive on a text that is no copy, and on a sentence too short to tell', () => {
    const unrelated = scoreCopies(sends, 'We do not know what this is. It is not the notice.');
    expect(wordingVerdict(unrelated.candidates[0], copies.length)).toBe('inconclusive');
    const asRendered = scoreCopies(sends, NOTICE_BODY);
    expect(wordingVerdict(asRendered.candidates[0], copies.length)).toBe('inconclusive');
    const leaker = copies[5];
    const oneSentence =
      leaker?.text.match(/We\s+(have\s+not|haven.t)\s+seen\s+it\s+exploited\s+in\s+the\s+wild\./)?.[0] ?? '';
    expect(oneSentence).not.toBe('');
    const short = scoreCopies(sends, oneSentence);
    expect(short.candidates[0]?.observed).toBe(1);
    expect(wordingVerdict(short.candidates[0], copies.length)).toBe('inconclusive');
  });

  it('computes the chance of agreeing at random', () => {
    expect(tailProbability([0.5, 0.5], 2)).toBeCloseTo(0.25);
    expect(tailProbability([0.5, 0.5, 0.5], 0)).toBe(1);
    expect(tailProbability(Array(10).fill(0.5), 10)).toBeCloseTo(1 / 1024);
  });
});

describe('reference codes and invisible marks', () => {
  it('finds a code however a forum retypes it, and the marks in a pasted text', () => {
    const code = newReferenceCode();
    expect(code).toMatch(/^ED-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(referenceCodesIn(`see ref ${code.toLowerCase().replace(/-/g, '\u2013')} above`)).toEqual([code]);
    expect(referenceCodesIn(`ref ${code.replace(/-/g, ' ')}`)).toEqual([code]);
    const marked = `The ${invisibleMark(code)}team is preparing. A ${invisibleMark(code)}client`;
    expect(markedCodesIn(marked)).toEqual([{ code, marks: 2 }]);
    expect(traceTokens(marked)).toEqual(['the', 'team', 'is', 'preparing', '.', 'a', 'client']);
  });
});
