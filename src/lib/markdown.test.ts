import { describe, expect, it } from 'vitest';
import { renderMarkdownSafe } from './markdown.js';

describe('renderMarkdownSafe', () => {
  it('renders Markdown', () => {
    expect(renderMarkdownSafe('# Title\n\n* **one**')).toBe(
      '<h1>Title</h1>\n<ul>\n<li><strong>one</strong></li>\n</ul>\n',
    );
  });

  it.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror=alert(1)>', '<img'],
    ['[x](javascript:alert(1))', 'href="javascript'],
    ['<a href="javascript:alert(1)">x</a>', '<a href="javascript'],
    ['<iframe src="https://evil"></iframe>', '<iframe'],
  ])('neutralises %s', (input, forbidden) => {
    expect(renderMarkdownSafe(input)).not.toContain(forbidden);
  });

  it('keeps safe links and makes them inert for the opener', () => {
    const html = renderMarkdownSafe('[site](https://example.org)');
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });
});
