import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, withheldPatchReason } from './portal-patches.js';

const withheld = { cveId: 'CVE-2026-4242', identities: ['Zoë Quillfeather', 'zoe@example.org'] };

/** A `git format-patch` series of one commit, with `header` and `body` in it. */
const mbox = (from: string, body: string, diff = '+\treturn check_bounds();') =>
  [
    'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
    `From: ${from}`,
    'Date: Mon, 23 Nov 2026 09:00:00 +0000',
    'Subject: [PATCH] Tighten a bounds check',
    '',
    body,
    '---',
    ' parser.c | 2 +-',
    '',
    'diff --git a/parser.c b/parser.c',
    '--- a/parser.c',
    '+++ b/parser.c',
    '@@ -1 +1 @@',
    '-\treturn 0;',
    diff,
    '',
  ].join('\n');

describe('the patches a distributor may be served', () => {
  it('serves a series that names nothing withheld', () => {
    expect(
      withheldPatchReason(mbox('Fix Engineer <fix@example.net>', 'Bound the parser.'), withheld),
    ).toBeNull();
  });

  it('withholds a series naming the reporter in a trailer, by name or address', () => {
    for (const trailer of ['Reported-by: Zoë Quillfeather', 'Reported-by: Z Q <ZOE@example.org>']) {
      expect(
        withheldPatchReason(mbox('Fix Engineer <fix@example.net>', `Bound it.\n\n${trailer}`), withheld),
      ).toBe('names the reporter or a credited person');
    }
  });

  it('withholds a series whose author is the reporter, written as RFC 2047 encoded words', () => {
    const from = '=?UTF-8?q?Zo=C3=AB=20Quill?=\n =?UTF-8?q?feather?= <other@example.net>';
    expect(decodeEncodedWords(from)).toBe('Zoë Quillfeather <other@example.net>');
    expect(withheldPatchReason(mbox(from, 'Bound it.'), withheld)).toBe(
      'names the reporter or a credited person',
    );
    expect(decodeEncodedWords('=?UTF-8?B?Wm/DqyBRdWlsbGZlYXRoZXI=?=')).toBe('Zoë Quillfeather');
  });

  it('withholds a series naming a CVE id in any case or separator, in the message or the diff', () => {
    for (const [body, diff] of [
      ['Fixes CVE-2026-4242.', undefined],
      ['Bound it.', '+\t/* cve_2026_4242 */ return check_bounds();'],
      ['Bound it.', '+\t/* CVE 2026 4242 */'],
      ['Related to CVE-2019-11253.', undefined],
    ] as const) {
      expect(withheldPatchReason(mbox('Fix Engineer <fix@example.net>', body, diff), withheld), body).toBe(
        'names a CVE id',
      );
    }
    expect(
      withheldPatchReason(
        mbox('Fix Engineer <fix@example.net>', 'Reported-by: zoe@example.org\nFixes CVE-2026-4242'),
        withheld,
      ),
    ).toBe('names a CVE id and names the reporter or a credited person');
  });
});
