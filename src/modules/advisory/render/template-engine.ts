/**
 * Mustache, bounded: a template is parsed and checked (size, known variables only, no partials)
 * before it renders, rendering stops past a work and output budget, mail renders without HTML
 * escaping, and the page renders escaped and then through a strict sanitiser, so an edited
 * template cannot inject script either.
 */
import Mustache from 'mustache';
import type sanitizeHtml from 'sanitize-html';
import { ValidationError, type FieldIssue } from '../../../lib/errors.js';
import { lazyRequire } from '../../../lib/lazy.js';
import { SAFE_HTML } from '../../../lib/markdown.js';

/** sanitize-html loads at the first page rendered, not at start. */
const sanitize = lazyRequire<typeof sanitizeHtml>('sanitize-html');

/** The largest template source accepted (UTF-8 bytes). */
export const TEMPLATE_MAX_BYTES = 64 * 1024;
/** Token renders per render: a loop nested in loops of the same list stops here, not after hours. */
const MAX_TOKEN_RENDERS = 200_000;
/** Characters produced per render (counted at every nesting level, so an over-estimate). */
const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

type Spans = ReturnType<typeof Mustache.parse>;

/** The 1-based line of character `index` of `source`. */
export function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

function refuse(message: string, issue: FieldIssue): never {
  throw new ValidationError(message, [issue]);
}

/** Every variable and section name used in `spans`, with where it starts. */
function namesOf(spans: Spans, out: { type: string; name: string; at: number }[] = []) {
  for (const span of spans) {
    const [type, value, start] = span;
    if (type === 'name' || type === '&' || type === '#' || type === '^' || type === '>') {
      out.push({ type, name: value, at: start });
    }
    const children = span[4];
    if (Array.isArray(children)) namesOf(children, out);
  }
  return out;
}

/**
 * Parses `source` and checks it for a template whose context has `allowed` key segments; throws a
 * ValidationError naming `source` and the line otherwise. Only own data keys can be named, so a
 * template cannot reach a prototype's methods (`constructor`, `map`...).
 */
export function checkTemplate(
  source: string,
  allowed: ReadonlySet<string>,
  hint: (name: string) => string = () => '',
): Spans {
  if (Buffer.byteLength(source, 'utf8') > TEMPLATE_MAX_BYTES) {
    refuse('The template is too large.', {
      path: 'source',
      message: `must be at most ${TEMPLATE_MAX_BYTES / 1024} KiB`,
    });
  }
  let spans: Spans;
  try {
    // A fresh writer: the shared default one caches every template string it ever saw.
    spans = new Mustache.Writer().parse(source) as Spans;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /at (\d+)\s*$/.exec(message)?.[1];
    // Mustache reports an unclosed section at the end of the source: point at where it opens.
    const section = /^Unclosed section "([^"]+)"/.exec(message)?.[1];
    const opened = section === undefined ? -1 : source.lastIndexOf(`#${section}`);
    const line =
      opened >= 0 ? lineAt(source, opened) : at === undefined ? undefined : lineAt(source, Number(at));
    const reason = message.replace(/\s*at \d+\s*$/, '');
    refuse(`The template does not parse${line ? ` (line ${line})` : ''}: ${reason}.`, {
      path: 'source',
      message: line ? `line ${line}: ${reason}` : reason,
      ...(line ? { line } : {}),
    });
  }
  for (const { type, name, at } of namesOf(spans)) {
    const line = lineAt(source, at);
    if (type === '>') {
      refuse(`Partials are not supported (line ${line}).`, {
        path: 'source',
        message: `line ${line}: partials ({{> ${name}}}) are not supported`,
        line,
      });
    }
    if (name === '.') continue;
    const unknown = name.split('.').find((segment) => !allowed.has(segment));
    if (unknown !== undefined) {
      refuse(`The template uses an unknown variable '${name}' (line ${line}).`, {
        path: 'source',
        message: `line ${line}: unknown variable '${name}'${hint(name)}`,
        line,
      });
    }
  }
  return spans;
}

/** A writer that refuses to do more than a budget of work or output. */
class BoundedWriter extends Mustache.Writer {
  private renders = 0;
  private output = 0;

  override renderTokens(...args: Parameters<Mustache.Writer['renderTokens']>): string {
    this.renders += args[0].length;
    if (this.renders > MAX_TOKEN_RENDERS) throw new RenderBudgetError();
    const out = super.renderTokens(...args);
    this.output += out.length;
    if (this.output > MAX_OUTPUT_CHARS) throw new RenderBudgetError();
    return out;
  }
}

class RenderBudgetError extends Error {}

/** The page's allow-list: Vigil's safe HTML plus the sectioning tags a page is laid out with. */
const PAGE_SANITIZE: sanitizeHtml.IOptions = {
  ...SAFE_HTML,
  allowedTags: [
    ...(SAFE_HTML.allowedTags || []),
    'article',
    'section',
    'header',
    'footer',
    'div',
    'span',
    'dl',
    'dt',
    'dd',
  ],
};

/**
 * Renders a checked template. `html` escapes values and sanitises the result; otherwise values
 * are printed as they are (plain-text mail).
 */
export function renderTemplate(source: string, view: object, mode: 'text' | 'html'): string {
  const writer = new BoundedWriter();
  const escape = mode === 'html' ? Mustache.escape : (value: unknown) => String(value);
  let out: string;
  try {
    out = writer.render(source, view, {}, { escape });
  } catch (err) {
    if (err instanceof RenderBudgetError) {
      refuse('The template does too much work (nested loops?).', {
        path: 'source',
        message: 'renders too much: nest loops over the same list less deeply',
      });
    }
    throw err;
  }
  return mode === 'html' ? sanitize()(out, PAGE_SANITIZE).trim() : out;
}
