/**
 * Putting policy text into Markdown without letting it change the page's structure. Names,
 * addresses and list items are plain text (every markup character escaped); the few prose
 * fields are Markdown by design but cannot carry raw HTML or script links.
 */

/** Escapes a single-line plain string so that it renders literally, inline or as a list item. */
export function escapeInline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]<>|~$#&!]/g, (c) => (c === '&' ? '&amp;' : `\\${c}`))
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Markdown prose from the policy: raw HTML and script-capable link schemes are neutralised. */
export function sanitizeProse(text: string): string {
  return text
    .replace(/&(?![a-zA-Z]{2,8};|#\d{1,6};)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\b(javascript|vbscript|data|file)\s*:/gi, '$1&#58;');
}

/** Percent-encodes the characters that would end or break a Markdown link destination. */
export function encodeLinkUrl(url: string): string {
  return url.replace(
    /[\s()<>`"'\\[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** `[label](url)` for an http(s) URL; anything else renders as the escaped label alone. */
export function link(label: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeInline(label);
  return `[${escapeInline(label)}](${encodeLinkUrl(url)})`;
}

/** `[address](mailto:address)`. */
export function mailLink(address: string): string {
  return `[${escapeInline(address)}](mailto:${encodeLinkUrl(address)})`;
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
export function fencedBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}
