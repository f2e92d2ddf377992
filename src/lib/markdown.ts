/**
 * Markdown to HTML that is safe to put in a page: markdown-it with raw HTML disabled, then
 * sanitize-html with an allow-list, as a second wall. Untrusted text never reaches a browser
 * any other way.
 */
import type MarkdownIt from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { lazyRequire } from './lazy.js';

// Both (with sanitize-html's CSS and HTML parsers) load at the first rendering, not at start.
const markdownIt = lazyRequire<typeof MarkdownIt>('markdown-it');
const sanitize = lazyRequire<typeof sanitizeHtml>('sanitize-html');
let md: ReturnType<typeof MarkdownIt> | undefined;

/**
 * The allow-list every HTML Vigil serves from untrusted text goes through: text structure, tables
 * and links (no attributes but href, title and the link hardening it adds); script and style are
 * dropped with their contents. Callers may only add structural tags to it.
 */
export const SAFE_HTML: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    'del',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'],
  transformTags: {
    // What sanitizeHtml.simpleTransform('a', {...}) does: the link hardening over the link's own.
    a: (tagName, attribs) => ({
      tagName: 'a',
      attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
    }),
  },
};

/** Renders untrusted Markdown to sanitised HTML. */
export function renderMarkdownSafe(markdown: string): string {
  md ??= new (markdownIt())({ html: false, linkify: true, typographer: false });
  return sanitize()(md.render(markdown), SAFE_HTML);
}
