import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';
import { checkTemplate, lineAt, renderTemplate, TEMPLATE_MAX_BYTES } from './template-engine.js';

const allowed = new Set(['title', 'items', 'name']);

function issueOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues[0];
    throw err;
  }
  throw new Error('did not throw');
}

describe('template engine', () => {
  it('counts lines from 1', () => {
    expect(lineAt('a\nb\nc', 0)).toBe(1);
    expect(lineAt('a\nb\nc', 4)).toBe(3);
  });

  it('names the line of a parse error, an unknown variable or a partial', () => {
    expect(issueOf(() => checkTemplate('a\n{{/title}}', allowed))).toMatchObject({ path: 'source', line: 2 });
    expect(issueOf(() => checkTemplate('a\n\n{{#items}}\n{{name}}', allowed))).toMatchObject({ line: 3 });
    expect(issueOf(() => checkTemplate('{{title}}\n{{items.length}}', allowed))).toMatchObject({
      line: 2,
      message: "line 2: unknown variable 'items.length'",
    });
    expect(issueOf(() => checkTemplate('{{#constructor}}x{{/constructor}}', allowed))?.message).toContain(
      'unknown variable',
    );
    expect(issueOf(() => checkTemplate('\n{{> title}}', allowed))).toMatchObject({ line: 2 });
    expect(issueOf(() => checkTemplate('x'.repeat(TEMPLATE_MAX_BYTES + 1), allowed))?.message).toContain(
      'KiB',
    );
    expect(checkTemplate('{{=<% %>=}}<% title %>{{#items}}{{.}}{{/items}}', allowed)).toBeTruthy();
  });

  it('prints values as they are in text and escaped, then sanitised, in HTML', () => {
    const view = { title: '<b>&"x"</b>', items: [] };
    expect(renderTemplate('{{title}}', view, 'text')).toBe('<b>&"x"</b>');
    expect(renderTemplate('<p>{{title}}</p>', view, 'html')).toBe('<p>&lt;b&gt;&amp;"x"&lt;/b&gt;</p>');
    const html = renderTemplate(
      '<p style="color:red" onclick="x()">ok</p><script>alert(1)</script><a href="javascript:alert(1)">l</a><iframe src="https://e.com"></iframe>',
      view,
      'html',
    );
    expect(html).toBe('<p>ok</p><a rel="noopener noreferrer nofollow" target="_blank">l</a>');
  });

  it('stops a render that does too much work', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ name: `n${i}` }));
    const nested = '{{#items}}'.repeat(4) + '{{name}}' + '{{/items}}'.repeat(4);
    expect(issueOf(() => renderTemplate(nested, { items }, 'text'))).toMatchObject({ path: 'source' });
    expect(renderTemplate('{{#items}}{{name}},{{/items}}', { items }, 'text')).toContain('n59,');
  });
});
