/**
 * A schema-driven generator of malformed requests: it reads the OpenAPI document the app serves
 * (`/api/openapi.json`, built from the routes' zod schemas) and, for an operation, draws requests
 * that are valid by the schema, then broken in one way: a wrong type, a required field missing,
 * extra fields, a huge string or array, deep nesting, prototype keys, NUL and lone surrogates,
 * numbers out of range, a bad enum value, invalid JSON, or the wrong content type. Path parameters
 * are valid-looking (from the test's own data) or hostile. Seeded (fast-check), so a failure
 * reproduces from its seed; every request is plain data the test can print.
 */
import fc from 'fast-check';

export type JsonSchema = { [key: string]: unknown };

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the document: what a request to it may carry. */
export interface Operation {
  operationId: string;
  method: string;
  /** The OpenAPI path, `/api/v1/cases/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation takes a body. */
  body: JsonSchema | undefined;
}

/** A request as drawn: everything needed to send it again. */
export interface FuzzRequest {
  method: string;
  url: string;
  /** Raw body text (undefined: none), with its content type. */
  body: string | undefined;
  contentType: string | undefined;
  /** What was done to the valid request, for the report. */
  mutation: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, `$ref`s resolved. */
export function operationsOf(document: unknown): Operation[] {
  const doc = document as OpenApiDocument;
  const components = doc.components?.schemas ?? {};
  const resolve = (schema: unknown, depth = 0): JsonSchema => resolveRefs(schema, components, depth);
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters: Parameter[] = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query')
        .map((p) => ({
          name: p.name,
          in: p.in as 'path' | 'query',
          required: p.required ?? p.in === 'path',
          schema: resolve(p.schema ?? { type: 'string' }),
        }));
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      out.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        body: bodySchema === undefined ? undefined : resolve(bodySchema),
      });
    }
  }
  return out;
}

function resolveRefs(schema: unknown, components: Record<string, JsonSchema>, depth: number): JsonSchema {
  if (depth > 20 || typeof schema !== 'object' || schema === null) return {};
  if (Array.isArray(schema)) {
    // `required` and `enum` hold strings and values; `anyOf` and `prefixItems` hold schemas.
    return schema.map((s) =>
      typeof s === 'object' && s !== null ? resolveRefs(s, components, depth + 1) : s,
    ) as never;
  }
  const s = schema as JsonSchema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    return resolveRefs(components[name] ?? {}, components, depth + 1);
  }
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) {
    out[k] = typeof v === 'object' && v !== null ? resolveRefs(v, components, depth + 1) : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values valid by a schema

const types = (s: JsonSchema): string[] =>
  Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const min = num(s.minLength) ?? 0;
  const max = Math.max(min, Math.min(num(s.maxLength) ?? 40, 60));
  const bounded = (a: fc.Arbitrary<string>) =>
    a.filter((v) => v.length >= min && v.length <= (num(s.maxLength) ?? 1e9));
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date-time') {
    return fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (s.format === 'email') return bounded(fc.emailAddress());
  if (s.format === 'uri') return fc.webUrl();
  if (typeof s.pattern === 'string') {
    try {
      const re = new RegExp(s.pattern, 'u');
      const matching = fc.stringMatching(re).filter((v) => v.length >= min && v.length <= max * 4);
      // A pattern fast-check cannot draw from (or rarely within bounds) falls back to plain strings.
      fc.sample(matching, { numRuns: 1, seed: 1 });
      return fc.oneof(
        { weight: 4, arbitrary: matching },
        { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      );
    } catch {
      return fc.string({ minLength: min, maxLength: max });
    }
  }
  return fc.string({ minLength: min, maxLength: max });
}

/** A value valid by `schema` (as far as a generator can tell: patterns and refinements aside). */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf']) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      return fc.oneof(...(list as JsonSchema[]).map((s) => validValue(s, depth + 1)));
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return validValue(Object.assign({}, ...(schema.allOf as JsonSchema[])), depth + 1);
  }
  const ts = types(schema);
  if (ts.length > 1) return fc.oneof(...ts.map((type) => validValue({ ...schema, type }, depth)));
  switch (ts[0]) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: num(schema.minimum) ?? -1000, max: num(schema.maximum) ?? 1000 });
    case 'number':
      return fc.double({ min: num(schema.minimum) ?? -1000, max: num(schema.maximum) ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (schema.items as JsonSchema | undefined) ?? {};
      const minLength = num(schema.minItems) ?? 0;
      const maxLength = Math.max(minLength, Math.min(num(schema.maxItems) ?? 3, 3));
      return fc.array(validValue(items, depth + 1), { minLength, maxLength });
    }
    case 'object':
    default: {
      const props = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = (schema.required as string[] | undefined) ?? [];
      const keys = Object.keys(props);
      if (keys.length === 0) {
        if (ts[0] !== 'object') return fc.constant(null);
        const extra = schema.additionalProperties;
        if (typeof extra === 'object' && extra !== null) {
          return fc.dictionary(
            fc.string({ minLength: 1, maxLength: 8 }),
            validValue(extra as JsonSchema, depth + 1),
            {
              maxKeys: 3,
            },
          );
        }
        return fc.constant({});
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) model[k] = validValue(props[k] ?? {}, depth + 1);
      return fc.record(model, { requiredKeys: keys.filter((k) => required.includes(k)) });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Breaking a valid value

/** Strings that have broken servers: prototype keys, NUL, lone surrogates, wildcards, huge ones. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufeff',
  '\u202egnp.exe',
  '%',
  '_',
  '\\',
  '%_\\%',
  "' or '1'='1",
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '../../../../etc/passwd',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  'CVE-2024-12345',
  'GHSA-xxxx-xxxx-xxxx',
  '2026-02-30T25:61:00Z',
  'Europe/Nowhere',
  'pkg:constructor/x@1',
  'x'.repeat(5000),
  'ü'.repeat(2000),
  '😀'.repeat(500),
];

const HOSTILE_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  0.5,
  2 ** 31,
  2 ** 53 + 2,
  1e300,
  -1e300,
  Number.MAX_VALUE,
];

/** Any JSON value of another kind than the one it replaces. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom(null, true, false, [], {}, [null], { __proto__: null }, ['__proto__'], [[[]]]),
  fc.jsonValue({ maxDepth: 3 }),
);

type Path = (string | number)[];

/** Every node of a JSON value, with its path. */
function nodes(value: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  }
  return out;
}

function setAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string] = replacement;
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(at)) at.splice(Number(last), 1);
  else delete at[last];
  return copy;
}

const YAML_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');

/** What a body-level breakage draws: the kind and the numbers it needs. */
const breakage = fc.record({
  kind: fc.constantFrom(
    // Valid (and valid with extra fields) three times as often as each breakage: requests that
    // pass validation are the ones that reach the services and the database.
    'valid',
    'valid',
    'valid',
    'extra-fields',
    'wrong-type',
    'drop-required',
    'extra-fields',
    'huge-string',
    'huge-array',
    'deep-nesting',
    'prototype-keys',
    'nul-surrogate',
    'number-out-of-range',
    'bad-enum',
    'invalid-json',
    'wrong-content-type',
    'not-an-object',
  ),
  pick: fc.nat(),
  hostile: hostileValue,
  variant: fc.nat({ max: 9 }),
});

/** The body of a request to `op`: a valid value broken one way, as text with its content type. */
export function bodyArbitrary(
  schema: JsonSchema | undefined,
): fc.Arbitrary<Pick<FuzzRequest, 'body' | 'contentType' | 'mutation'>> {
  const valid = schema === undefined ? fc.constant<unknown>(undefined) : validValue(schema);
  return fc.tuple(valid, breakage).map(([value, b]) => {
    const json = (v: unknown, mutation: string) => ({
      body: v === undefined ? undefined : JSON.stringify(v),
      contentType: v === undefined ? undefined : 'application/json',
      mutation,
    });
    const all = nodes(value);
    const node = all[b.pick % all.length] ?? { path: [], value };
    const where = node.path.join('.') || '(root)';
    switch (b.kind) {
      case 'valid':
        return json(value, 'valid');
      case 'wrong-type':
        return json(setAt(value, node.path, b.hostile), `wrong type at ${where}`);
      case 'drop-required': {
        const objects = all.filter((n) => n.path.length > 0);
        const victim = objects[b.pick % Math.max(1, objects.length)];
        return victim
          ? json(deleteAt(value, victim.path), `without ${victim.path.join('.')}`)
          : json(value, 'valid');
      }
      case 'extra-fields': {
        const objects = all.filter(
          (n) => typeof n.value === 'object' && n.value !== null && !Array.isArray(n.value),
        );
        const target = objects[b.pick % Math.max(1, objects.length)];
        if (!target) return json({ extra: b.hostile }, 'extra fields on a non-object');
        const extended = {
          ...(target.value as object),
          isAdmin: true,
          role: 'admin',
          id: b.hostile,
          [`x${b.variant}`]: b.hostile,
        };
        return json(
          setAt(value, target.path, extended),
          `extra fields at ${target.path.join('.') || '(root)'}`,
        );
      }
      case 'huge-string':
        return json(
          setAt(value, node.path, 'A'.repeat([70_000, 200_000, 5_000][b.variant % 3] ?? 5000)),
          `huge string at ${where}`,
        );
      case 'huge-array':
        return json(
          setAt(
            value,
            node.path,
            Array.from({ length: [10_000, 1_000][b.variant % 2] ?? 1000 }, () => 'x'),
          ),
          `huge array at ${where}`,
        );
      case 'deep-nesting': {
        const depth = [10_000, 1_000, 100][b.variant % 3] ?? 100;
        const text =
          b.variant % 2 === 0
            ? `${'['.repeat(depth)}${']'.repeat(depth)}`
            : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const base = JSON.stringify(setAt(value, node.path, '__DEEP__') ?? null);
        return {
          body: base.replace('"__DEEP__"', text),
          contentType: 'application/json',
          mutation: `deep nesting (${depth}) at ${where}`,
        };
      }
      case 'prototype-keys': {
        const text = JSON.stringify(value ?? {}) ?? '{}';
        const injected =
          '"__proto__":{"isAdmin":true,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},';
        // After one `{` of the text (one inside a string only breaks the JSON, which is fine too).
        const braces = [...text.matchAll(/\{/g)].map((m) => m.index);
        const at = braces.length > 0 ? braces[b.pick % braces.length] : undefined;
        const body =
          at === undefined
            ? `{${injected.slice(0, -1)}}`
            : `${text.slice(0, at + 1)}${injected}${text.slice(at + 1)}`.replace(',}', '}');
        return { body, contentType: 'application/json', mutation: 'prototype keys' };
      }
      case 'nul-surrogate': {
        const strings = all.filter((n) => typeof n.value === 'string');
        const target = strings[b.pick % Math.max(1, strings.length)] ?? node;
        const bad = [
          '\u0000',
          `${typeof target.value === 'string' ? target.value : 'x'}\u0000`,
          '\ud800',
          `a\udc00b`,
          '\u0000\ud83d',
        ][b.variant % 5];
        return json(
          setAt(value, target.path, bad),
          `NUL or lone surrogate at ${target.path.join('.') || '(root)'}`,
        );
      }
      case 'number-out-of-range': {
        const numbers = all.filter((n) => typeof n.value === 'number');
        const target = numbers[b.pick % Math.max(1, numbers.length)] ?? node;
        const text = JSON.stringify(setAt(value, target.path, '__NUM__') ?? null);
        const raw =
          [
            '1e999',
            '-1e999',
            '9007199254740993',
            '-0',
            '1.0000000000000002',
            '0.1e-400',
            '-2147483649',
            '1e21',
            '5.5',
            '-1',
          ][b.variant] ?? '1e999';
        return {
          body: text.replace('"__NUM__"', raw),
          contentType: 'application/json',
          mutation: `number ${raw} at ${target.path.join('.') || '(root)'}`,
        };
      }
      case 'bad-enum':
        return json(
          setAt(
            value,
            node.path,
            ['ADMIN', 'admin', 'security-team ', 'Published', '', 'closed\u0000'][b.variant % 6],
          ),
          `bad enum at ${where}`,
        );
      case 'invalid-json': {
        const text = JSON.stringify(value ?? {}) ?? '{}';
        const bodies = [
          text.slice(0, Math.max(1, Math.floor(text.length / 2))),
          `${text}garbage`,
          `\ufeff${text}`,
          text.replace(/"/g, "'"),
          '{"a":NaN}',
          '{"a":1,}',
          '',
          ' ',
          '\u0000',
          '{"a":"\\ud800"}',
        ];
        return {
          body: bodies[b.variant] ?? '',
          contentType: 'application/json',
          mutation: `invalid JSON #${b.variant}`,
        };
      }
      case 'wrong-content-type': {
        const text = JSON.stringify(value ?? {}) ?? '{}';
        const choices: [string | undefined, string][] = [
          ['text/plain', text],
          ['application/x-www-form-urlencoded', 'a=1&__proto__[isAdmin]=true'],
          ['application/yaml', YAML_BOMB],
          ['application/yaml', 'yaml: [unclosed'],
          [
            'multipart/form-data; boundary=x',
            '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
          ],
          ['application/json; charset=utf-16', text],
          ['application/xml', '<a/>'],
          [undefined, text],
          ['application/json', text],
          ['text/yaml', 'policyYaml: !!js/function "function(){}"'],
        ];
        const [contentType, body] = choices[b.variant] ?? choices[0]!;
        return { body, contentType, mutation: `content type ${contentType ?? '(none)'}` };
      }
      case 'not-an-object':
        return json([null, [], 'text', 42, true, [value]][b.variant % 6], 'not an object');
    }
  });
}

/** Path segments that have broken routers: prototype keys, encodings, lengths, traversal. */
const HOSTILE_SEGMENTS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  '%00',
  'a%00b',
  '%ZZ',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '..',
  '%2E%2E%2F%2E%2E%2Fetc',
  '-1',
  '0',
  '99999999999999999999999',
  '1e3',
  '%20',
  'null',
  'x'.repeat(199),
  'x'.repeat(260),
  '%25',
  '_',
  'CTR-2026-9999',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

/** Query values: the same, URL-encoded by the caller. */
const HOSTILE_QUERY: readonly string[] = [
  ...HOSTILE_STRINGS.filter((s) => s.length < 1000),
  'x'.repeat(3000),
];

/** encodeURIComponent, with a lone surrogate sent as UTF-8 does (U+FFFD) instead of throwing. */
function percentEncode(v: string): string {
  return encodeURIComponent(
    v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

/**
 * A request to `op`. `known` gives valid-looking values for path parameters by `path:name` or by
 * name (the test's own project, case, user), so that some requests reach the service.
 */
export function requestArbitrary(
  op: Operation,
  known: (op: Operation, name: string) => readonly string[],
): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const segment = (p: Parameter) => {
    const good = known(op, p.name);
    return fc.oneof(
      {
        weight: 5,
        arbitrary: good.length > 0 ? fc.constantFrom(...good).map(percentEncode) : fc.constant('x'),
      },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
      { weight: 2, arbitrary: validValue(p.schema).map((v) => percentEncode(String(v)) || 'x') },
    );
  };
  const queryValue = (p: Parameter) =>
    fc.oneof(
      { weight: 4, arbitrary: validValue(p.schema).map((v) => [String(v)]) },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_QUERY).map((v) => [v]) },
      { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS).map((v) => [v]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.constantFrom('a', '1', '__proto__'), { minLength: 2, maxLength: 3 }),
      },
      { weight: 1, arbitrary: fc.constant<string[]>([]) },
    );
  const params = fc.tuple(...pathParams.map(segment));
  const query = fc.tuple(...queryParams.map(queryValue));
  const extraQuery = fc.constantFrom(
    '',
    '',
    '',
    '__proto__[isAdmin]=1',
    'constructor=1',
    'a[b][c]=1',
    '%ZZ=1',
    'q=%00',
  );
  return fc
    .tuple(params, query, extraQuery, bodyArbitrary(op.body))
    .map(([segments, values, extra, body]) => {
      let path = op.path;
      pathParams.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, segments[i] ?? 'x');
      });
      const pairs: string[] = [];
      queryParams.forEach((p, i) => {
        for (const v of values[i] ?? []) pairs.push(`${percentEncode(p.name)}=${percentEncode(v)}`);
      });
      if (extra) pairs.push(extra);
      const url = pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
      // A body on a GET is sent only when the operation has none (fastify refuses GET bodies: 4xx too).
      return { method: op.method, url, ...body };
    });
}

/** The keys every object inherits: a lookup of one in a plain object finds a function, not undefined. */
export const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString'] as const;

/**
 * Requests that put each prototype key, in turn, in each parameter and each top-level string field
 * of the body, everything else valid-looking: a deterministic sweep (the random draws reach one
 * parameter with one key too rarely; `GET /api/v1/cwe?q=constructor` answered 500).
 */
export function prototypeKeySweep(
  op: Operation,
  known: (op: Operation, name: string) => readonly string[],
): FuzzRequest[] {
  const seed = 1;
  const plain = (p: Parameter): string => {
    const good = known(op, p.name)[0];
    if (good !== undefined) return good;
    const [drawn] = fc.sample(validValue(p.schema), { seed, numRuns: 1 });
    return String(drawn ?? 'x');
  };
  const body = op.body === undefined ? undefined : fc.sample(validValue(op.body), { seed, numRuns: 1 })[0];
  const build = (override: { param?: string; field?: string; key: string }): FuzzRequest => {
    let path = op.path;
    const pairs: string[] = [];
    for (const p of op.parameters) {
      const value = p.name === override.param ? override.key : plain(p);
      if (p.in === 'path') path = path.replace(`{${p.name}}`, percentEncode(value));
      else if (p.name === override.param || p.required)
        pairs.push(`${percentEncode(p.name)}=${percentEncode(value)}`);
    }
    const withKey =
      override.field !== undefined && typeof body === 'object' && body !== null
        ? { ...body, [override.field]: override.key }
        : body;
    return {
      method: op.method,
      url: pairs.length > 0 ? `${path}?${pairs.join('&')}` : path,
      body: withKey === undefined ? undefined : JSON.stringify(withKey),
      contentType: withKey === undefined ? undefined : 'application/json',
      mutation: `prototype key ${override.key} in ${override.param ?? `body.${override.field}`}`,
    };
  };
  const props = (op.body?.properties as Record<string, JsonSchema> | undefined) ?? {};
  const stringFields = Object.entries(props)
    .filter(([, s]) => types(s).includes('string') || Array.isArray(s.anyOf))
    .map(([name]) => name);
  return PROTOTYPE_KEYS.flatMap((key) => [
    ...op.parameters.map((p) => build({ param: p.name, key })),
    ...stringFields.map((field) => build({ field, key })),
  ]);
}
