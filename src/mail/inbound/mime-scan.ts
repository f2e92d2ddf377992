/**
 * A bounded look at a MIME message's structure before it is parsed: how deep multiparts nest and how
 * many parts there are (a hostile message can nest thousands deep), whether boundaries open and
 * close, whether base64 bodies are base64, and which charsets text parts declare. It decodes
 * nothing; it only tells the parser what to flag and whether the structure is safe to hand on.
 */

/** Deeper nesting than this is not parsed as structure (real mail rarely exceeds 6). */
export const MAX_MIME_DEPTH = 16;
/** More parts than this are not parsed as structure (the parser underneath refuses 1,000 anyway). */
export const MAX_MIME_PARTS = 500;
const MAX_PROBLEMS = 10;

export interface MimeScan {
  /** The top-level content type, lower-case (`text/plain` when absent). */
  topType: string;
  tooDeep: boolean;
  tooManyParts: boolean;
  /** What is structurally wrong, for flags and logs (at most a few entries). */
  problems: string[];
  /** Declared charsets that cannot be decoded, and text parts whose bytes are invalid in theirs. */
  charsetProblems: string[];
  /** Text bodies that are not attachments, by kind: tells HTML-only mail apart. */
  hasPlainText: boolean;
  hasHtml: boolean;
}

interface EntityHeaders {
  type: string;
  params: Map<string, string>;
  encoding: string;
  attachment: boolean;
  /** Lines in the header block that are not `Name: value`. */
  badLines: number;
}

/** Scans `raw` (a whole message or a MIME entity); never throws. */
export function scanMime(raw: Buffer): MimeScan {
  const scan: MimeScan = {
    topType: 'text/plain',
    tooDeep: false,
    tooManyParts: false,
    problems: [],
    charsetProblems: [],
    hasPlainText: false,
    hasHtml: false,
  };
  const state = { parts: 0 };
  const top = scanEntity(raw, 0, raw.length, 0, scan, state);
  if (top) scan.topType = top;
  return scan;
}

function problem(scan: MimeScan, what: string): void {
  if (scan.problems.length < MAX_PROBLEMS) scan.problems.push(what);
}

/** Scans the entity in raw[start, end); returns its content type. */
function scanEntity(
  raw: Buffer,
  start: number,
  end: number,
  depth: number,
  scan: MimeScan,
  state: { parts: number },
): string | undefined {
  state.parts += 1;
  if (state.parts > MAX_MIME_PARTS) {
    scan.tooManyParts = true;
    return undefined;
  }
  if (depth > MAX_MIME_DEPTH) {
    scan.tooDeep = true;
    return undefined;
  }
  const split = headerEnd(raw, start, end);
  const headers = parseEntityHeaders(raw.toString('latin1', start, split.headersEnd));
  const bodyStart = split.bodyStart;
  if (headers.badLines > 0) problem(scan, 'header lines that are not "Name: value"');
  if (headers.type.startsWith('multipart/')) {
    scanMultipart(raw, bodyStart, end, depth, headers, scan, state);
  } else if (headers.type === 'message/rfc822' || headers.type === 'message/global') {
    if (['7bit', '8bit', 'binary', ''].includes(headers.encoding)) {
      scanEntity(raw, bodyStart, end, depth + 1, scan, state);
    }
  } else {
    checkLeaf(raw, bodyStart, end, headers, scan);
  }
  return headers.type;
}

function scanMultipart(
  raw: Buffer,
  bodyStart: number,
  end: number,
  depth: number,
  headers: EntityHeaders,
  scan: MimeScan,
  state: { parts: number },
): void {
  const boundary = headers.params.get('boundary');
  if (!boundary) {
    problem(scan, `${headers.type} without a boundary`);
    return;
  }
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let partStart = -1;
  let closed = false;
  let opened = false;
  for (let at = findDelimiter(raw, delimiter, bodyStart, end); at !== -1;) {
    const afterDelimiter = at + delimiter.length;
    const isClose = raw[afterDelimiter] === 0x2d && raw[afterDelimiter + 1] === 0x2d;
    if (partStart !== -1) {
      // The CRLF before a delimiter belongs to the delimiter.
      let partEnd = at;
      if (raw[partEnd - 1] === 0x0a) partEnd -= 1;
      if (raw[partEnd - 1] === 0x0d) partEnd -= 1;
      scanEntity(raw, partStart, Math.max(partStart, partEnd), depth + 1, scan, state);
      if (scan.tooDeep || scan.tooManyParts) return;
    }
    opened = true;
    if (isClose) {
      closed = true;
      break;
    }
    partStart = lineEnd(raw, afterDelimiter, end);
    at = findDelimiter(raw, delimiter, partStart, end);
  }
  if (!opened) {
    problem(scan, `${headers.type} whose boundary never appears`);
  } else if (!closed) {
    problem(scan, `${headers.type} that never closes (truncated?)`);
    if (partStart !== -1 && partStart < end) scanEntity(raw, partStart, end, depth + 1, scan, state);
  }
}

/** The next delimiter line (at the start of a line, followed by `--`, space or end of line). */
function findDelimiter(raw: Buffer, delimiter: Buffer, from: number, end: number): number {
  for (let at = raw.indexOf(delimiter, from); at !== -1 && at < end; at = raw.indexOf(delimiter, at + 1)) {
    const atLineStart = at === from || raw[at - 1] === 0x0a;
    if (!atLineStart) continue;
    const next = raw[at + delimiter.length];
    if (
      next === undefined ||
      next === 0x2d ||
      next === 0x0d ||
      next === 0x0a ||
      next === 0x20 ||
      next === 0x09
    ) {
      return at;
    }
  }
  return -1;
}

function lineEnd(raw: Buffer, from: number, end: number): number {
  const nl = raw.indexOf(0x0a, from);
  return nl === -1 || nl >= end ? end : nl + 1;
}

function headerEnd(raw: Buffer, start: number, end: number): { headersEnd: number; bodyStart: number } {
  // A part that starts with an empty line has no headers.
  if (raw[start] === 0x0a) return { headersEnd: start, bodyStart: start + 1 };
  if (raw[start] === 0x0d && raw[start + 1] === 0x0a) return { headersEnd: start, bodyStart: start + 2 };
  const crlf = raw.indexOf('\r\n\r\n', start, 'latin1');
  const lf = raw.indexOf('\n\n', start, 'latin1');
  const candidates = [
    crlf !== -1 && crlf < end ? { headersEnd: crlf, bodyStart: crlf + 4 } : undefined,
    lf !== -1 && lf < end ? { headersEnd: lf, bodyStart: lf + 2 } : undefined,
  ].filter((c) => c !== undefined);
  const first = candidates.sort((a, b) => a.headersEnd - b.headersEnd)[0];
  return first ?? { headersEnd: end, bodyStart: end };
}

/** The Content-Type (with parameters), transfer encoding and disposition of an entity. */
function parseEntityHeaders(block: string): EntityHeaders {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  let contentType = '';
  let encoding = '';
  let disposition = '';
  let badLines = 0;
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[!-9;-~]+$/.test(line.slice(0, colon).trimEnd())) {
      if (line.trim() !== '') badLines++;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type' && !contentType) contentType = value;
    else if (name === 'content-transfer-encoding' && !encoding) encoding = value.toLowerCase();
    else if (name === 'content-disposition' && !disposition) disposition = value.toLowerCase();
  }
  const [typePart = '', ...paramParts] = splitParams(contentType);
  const type = typePart.trim().toLowerCase() || 'text/plain';
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    if (!params.has(key)) params.set(key, value);
  }
  return { type, params, encoding, attachment: disposition.startsWith('attachment'), badLines };
}

/** Splits a header value on `;` outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && quoted && i + 1 < value.length) {
      current += ch + value[i + 1];
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

/** Checks a single-part body: its base64, and for text its charset. */
function checkLeaf(raw: Buffer, start: number, end: number, headers: EntityHeaders, scan: MimeScan): void {
  if (headers.encoding === 'base64' && !isBase64(raw, start, end)) {
    problem(scan, `${headers.type} part with invalid base64`);
  }
  if (!headers.type.startsWith('text/')) return;
  if (!headers.attachment) {
    if (headers.type === 'text/plain') scan.hasPlainText = true;
    if (headers.type === 'text/html') scan.hasHtml = true;
  }
  const charset = headers.params.get('charset')?.toLowerCase();
  if (charset === undefined) return;
  if (!isKnownCharset(charset)) {
    if (scan.charsetProblems.length < MAX_PROBLEMS) scan.charsetProblems.push(`unknown charset ${charset}`);
    return;
  }
  const raw8bit = ['8bit', 'binary', '7bit', ''].includes(headers.encoding);
  if (raw8bit && (charset === 'utf-8' || charset === 'utf8') && !isValidUtf8(raw.subarray(start, end))) {
    if (scan.charsetProblems.length < MAX_PROBLEMS) scan.charsetProblems.push('text that is not valid UTF-8');
  }
}

function isBase64(raw: Buffer, start: number, end: number): boolean {
  let significant = 0;
  for (let i = start; i < end; i++) {
    const c = raw[i] ?? 0;
    const alphabet =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x2f;
    if (alphabet || c === 0x3d) significant++;
    else if (c !== 0x0d && c !== 0x0a && c !== 0x20 && c !== 0x09) return false;
  }
  return significant % 4 === 0;
}

// Charsets the parser decodes beyond the WHATWG Encoding Standard's list (iconv-lite knows them).
const EXTRA_CHARSETS = new Set([
  'utf-7',
  'utf7',
  'unicode-1-1-utf-7',
  'cp437',
  'cp737',
  'cp775',
  'cp850',
  'cp852',
]);

function isKnownCharset(charset: string): boolean {
  if (EXTRA_CHARSETS.has(charset)) return true;
  try {
    new TextDecoder(charset);
    return true;
  } catch {
    return false;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
