/**
 * The bridge to `git http-backend`, git's own smart HTTP server, run as a CGI program: the request
 * becomes its environment (RFC 3875) and standard input, its standard output becomes the answer
 * (CGI headers, `Status`, then the body, streamed). http-backend inflates gzip request bodies
 * itself (HTTP_CONTENT_ENCODING) and reads the body to its end when no CONTENT_LENGTH is given, so
 * chunked and compressed pushes both pass through as they came.
 */
import { spawn } from 'node:child_process';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { gitEnv, killAfter } from './git-process.js';

export interface CgiRequest {
  method: 'GET' | 'POST';
  /** `/<case uuid>.git/info/refs` */
  pathInfo: string;
  query: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  /** The client's `Git-Protocol` header (protocol v2). */
  gitProtocol: string | undefined;
  remoteUser: string;
  remoteAddr: string;
  body: Readable | undefined;
  /** More variables for receive-pack's hooks (the per-push files). */
  env: Record<string, string>;
}

export interface CgiAnswer {
  status: number;
  headers: Record<string, string>;
  /** The rest of the program's output. */
  body: Readable;
  /** The exit code once the program ended (null when killed). */
  exited: Promise<number | null>;
}

export interface CgiLimits {
  timeoutMs: number;
  maxRequestBytes: number;
}

/** The request body was larger than the limit. */
export class RequestTooLargeError extends Error {
  constructor() {
    super('request body too large');
    this.name = 'RequestTooLargeError';
  }
}

const MAX_HEADER_BYTES = 64 * 1024;
const HEADER_VALUE = /^[A-Za-z0-9-]{1,100}$/;
const ONE_LINE = (v: string | undefined, max = 200) =>
  v !== undefined && v.length <= max && !/[\r\n\0]/.test(v) ? v : undefined;

/** Runs http-backend for one request under `projectRoot`; resolves once its CGI headers are read. */
export function runHttpBackend(projectRoot: string, req: CgiRequest, limits: CgiLimits): Promise<CgiAnswer> {
  const cgi: Record<string, string> = {
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method,
    PATH_INFO: req.pathInfo,
    QUERY_STRING: ONE_LINE(req.query, 1000) ?? '',
    REMOTE_USER: req.remoteUser,
    REMOTE_ADDR: req.remoteAddr,
  };
  const contentType = ONE_LINE(req.contentType);
  if (contentType) cgi.CONTENT_TYPE = contentType;
  const encoding = ONE_LINE(req.contentEncoding, 50);
  if (encoding) cgi.HTTP_CONTENT_ENCODING = encoding;
  const protocol =
    req.gitProtocol && /^[A-Za-z0-9=:._-]{1,100}$/.test(req.gitProtocol) ? req.gitProtocol : '';
  if (protocol) cgi.HTTP_GIT_PROTOCOL = protocol;

  const child = spawn('git', ['http-backend'], {
    env: gitEnv({ ...req.env, ...cgi }),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const cancel = killAfter(child, limits.timeoutMs);
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      cancel();
      resolve(code);
    });
  });
  // Its complaints are git's, about the repository; they go nowhere (and are drained).
  child.stderr.resume();
  child.stdin.on('error', () => undefined);

  return new Promise<CgiAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', fail);

    if (req.body) {
      let bytes = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (bytes > limits.maxRequestBytes) return done(new RequestTooLargeError());
          done(null, chunk);
        },
      });
      const source = req.body;
      source.on('error', (err) => {
        limit.destroy(err);
      });
      limit.on('error', (err) => {
        child.stdin.destroy();
        child.kill('SIGKILL');
        fail(err instanceof RequestTooLargeError ? err : new Error('the request body broke off'));
      });
      source.pipe(limit).pipe(child.stdin);
    } else {
      child.stdin.end();
    }

    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (end === undefined) {
        if (head.length > MAX_HEADER_BYTES) fail(new Error('git http-backend sent no end of headers'));
        return;
      }
      child.stdout.off('data', onData);
      child.stdout.pause();
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
      const body = new PassThrough();
      body.write(head.subarray(end.at + end.length));
      child.stdout.pipe(body);
      // A client gone before the end: git still finishes (a push it accepted completes), unheard.
      body.once('close', () => child.stdout.resume());
      if (settled) return;
      settled = true;
      resolve({ status, headers, body, exited });
    };
    child.stdout.on('data', onData);
    child.stdout.once('end', () => fail(new Error('git http-backend ended without an answer')));
  });
}

function headerEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  if (lf >= 0) return { at: lf, length: 2 };
  return undefined;
}

/** The CGI response headers: `Status: 403 Forbidden` becomes the status, the others pass on. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!HEADER_VALUE.test(name)) continue;
    if (name.toLowerCase() === 'status') {
      const code = Number(/^(\d{3})/.exec(value)?.[1]);
      if (code >= 100 && code <= 599) status = code;
    } else {
      headers[name.toLowerCase()] = value;
    }
  }
  return { status, headers };
}
