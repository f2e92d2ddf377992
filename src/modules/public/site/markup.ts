/**
 * Escaping for the server-rendered public site: an `html` tagged template whose interpolations are
 * escaped unless they are already `Markup` (nested templates, or HTML the advisory renderer has
 * sanitised), and XML text for the Atom feeds. Every character XML 1.0 forbids is dropped, so a
 * control character in an advisory cannot break a feed. Pure.
 */

/** HTML that is safe to insert as it is. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks sanitised HTML (the advisory renderer's output) as safe to insert. */
export function trusted(sanitised: string): Markup {
  return new Markup(sanitised);
}

// C0 controls but tab, LF and CR; U+FFFE/U+FFFF; unpaired surrogates: none is allowed in XML 1.0.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching those characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text (or an attribute value) escaped for HTML and XML alike. */
export function escapeText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Value = Markup | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join('');
  return escapeText(String(value));
}

/** An HTML fragment: the literal parts as written, every interpolated value escaped unless Markup. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** The same, for XML documents (the feeds). */
export const xml = html;
