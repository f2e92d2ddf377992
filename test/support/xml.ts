/**
 * A strict XML 1.0 well-formedness parser for tests (no DTDs, no external entities): one root
 * element, balanced tags, quoted attributes without duplicates, only the predefined and numeric
 * character references, no character XML forbids. Returns the element tree, or throws naming
 * the first fault and its offset.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, references resolved. */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9._:]*$/;
// eslint-disable-next-line no-control-regex -- matching those characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function resolve(text: string, at: number): string {
  if (FORBIDDEN.test(text)) throw new Error(`a character XML forbids near offset ${at}`);
  return text.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`a bare & near offset ${at}`);
    if (ref in PREDEFINED) return PREDEFINED[ref] ?? '';
    const dec = /^#(\d+)$/.exec(ref)?.[1];
    const hex = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1];
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    throw new Error(`an unknown entity ${whole} near offset ${at}`);
  });
}

/** Parses `source`; throws on the first well-formedness fault. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) throw new Error('an unclosed XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root near offset ${i}`);
    const current = stack[stack.length - 1];
    if (current) current.text += resolve(text, i);
    else resolve(text, i);
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt);
      if (end < 0) throw new Error(`an unclosed comment at ${lt}`);
      i = end + 3;
      continue;
    }
    if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end < 0 || !current) throw new Error(`a misplaced CDATA section at ${lt}`);
      current.text += source.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    if (source.startsWith('<!', lt) || source.startsWith('<?', lt))
      throw new Error(`a declaration or PI at ${lt}`);
    const gt = source.indexOf('>', lt);
    if (gt < 0) throw new Error(`an unclosed tag at ${lt}`);
    const tag = source.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name)
        throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = /^\S+/.exec(body)?.[0] ?? '';
    if (!NAME.test(name)) throw new Error(`a bad element name '${name}' at ${lt}`);
    const attributes: Record<string, string> = {};
    let rest = body.slice(name.length);
    const attr = /^\s+([^\s=]+)\s*=\s*("([^"<]*)"|'([^'<]*)')/;
    for (let m = attr.exec(rest); m; m = attr.exec(rest)) {
      const key = m[1] ?? '';
      if (!NAME.test(key)) throw new Error(`a bad attribute name '${key}' at ${lt}`);
      if (key in attributes) throw new Error(`a duplicate attribute ${key} at ${lt}`);
      attributes[key] = resolve(m[3] ?? m[4] ?? '', lt);
      rest = rest.slice(m[0].length);
    }
    if (rest.trim() !== '') throw new Error(`a malformed tag <${tag}> at ${lt}`);
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (current) current.children.push(element);
    else if (root) throw new Error(`a second root element at ${lt}`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** The children of `e` named `name`. */
export function childrenNamed(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}

/** The text of the first child of `e` named `name` (undefined when there is none). */
export function childText(e: XmlElement, name: string): string | undefined {
  return childrenNamed(e, name)[0]?.text;
}
