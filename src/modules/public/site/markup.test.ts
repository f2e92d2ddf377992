import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../test/support/xml.js';
import { instanceFeedId, renderAtom } from './atom-feed.js';
import { escapeText, html, trusted } from './markup.js';

describe('html', () => {
  it('escapes every interpolation but Markup, in text and attributes', () => {
    const title = `<script>alert("x")</script> & 'quotes'`;
    const out = html`<a title="${title}">${title}</a>${trusted('<em>ok</em>')}${[html`<b>${'<i>'}</b>`]}`
      .value;
    expect(out).toBe(
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</a><em>ok</em><b>&lt;i&gt;</b>',
    );
  });

  it('drops what XML forbids, keeping tab, new lines and astral characters', () => {
    expect(escapeText('a\u0000b\u0008c\td\ne\uFFFEf\uD800g😀')).toBe('abc\td\nefg😀');
  });
});

describe('renderAtom', () => {
  it('writes a well-formed feed whatever the titles hold', () => {
    const nasty = 'Title <b>&amp;</b> \u0001 ]]> "q"';
    const xml = renderAtom({
      id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
      title: nasty,
      subtitle: nasty,
      updated: '2026-01-01T00:00:00.000Z',
      selfUrl: 'https://v.example/advisories.atom?a=1&b=2',
      pageUrl: 'https://v.example/',
      author: nasty,
      entries: [
        {
          id: 'urn:uuid:00000000-0000-4000-8000-000000000002',
          title: nasty,
          updated: '2026-01-02T03:04:05.678Z',
          published: '2026-01-02T03:04:05.678Z',
          url: 'https://v.example/p/x/advisories/X-1',
          osvUrl: 'https://v.example/p/x/advisories/X-1.osv.json',
          summary: nasty,
          severity: { term: 'high', label: 'high (CVSS 3.1 7.5)' },
          author: nasty,
        },
      ],
    });
    const feed = parseXml(xml);
    expect(feed.children.find((c) => c.name === 'title')?.text).toBe('Title <b>&amp;</b>  ]]> "q"');
    expect(feed.children.find((c) => c.name === 'link')?.attributes.href).toBe(
      'https://v.example/advisories.atom?a=1&b=2',
    );
    expect(xml).toContain('<updated>2026-01-02T03:04:05Z</updated>');
  });

  it('gives the instance feed a tag URI of its host', () => {
    expect(instanceFeedId('https://vigil.example.org:8443/')).toBe(
      'tag:vigil.example.org,2026:vigil/advisories',
    );
    expect(instanceFeedId('http://[::1]:8080')).toBe('tag:localhost,2026:vigil/advisories');
  });
});
