/**
 * The generator itself (no app): every kind of breakage is drawn, hostile path values and prototype
 * keys reach parameters, and the sweep covers every parameter. A generator that quietly stopped
 * breaking requests would let the fuzz test pass for nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bodyArbitrary,
  operationsOf,
  prototypeKeySweep,
  requestArbitrary,
  type Operation,
} from './openapi-fuzz.js';

const document = {
  paths: {
    '/api/v1/things/{id}': {
      put: {
        operationId: 'putThing',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 20 } },
          { name: 'q', in: 'query', schema: { type: 'string' } },
        ],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
      },
      get: { operationId: 'getThing', parameters: [{ name: 'id', in: 'path', required: true }] },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 10 },
          kind: { type: 'string', enum: ['a', 'b'] },
          count: { type: 'integer', minimum: 0, maximum: 5 },
          tags: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 2 },
          at: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        },
        required: ['name', 'kind'],
      },
    },
  },
};

const [get, put] = operationsOf(document) as [Operation, Operation];
const known = () => ['T-1'];

describe('operationsOf', () => {
  it('reads every operation, its parameters and its body with references resolved', () => {
    expect([get.operationId, put.operationId]).toEqual(['getThing', 'putThing']);
    expect(put.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'path:id:true',
      'query:q:false',
    ]);
    expect(put.body).toMatchObject({ type: 'object', required: ['name', 'kind'] });
    expect(get.body).toBeUndefined();
  });
});

describe('the drawn requests', () => {
  const draws = fc.sample(requestArbitrary(put, known), { seed: 42, numRuns: 600 });

  it('break the body in every way, and send some valid ones', () => {
    const kinds = new Set(
      draws.map((d) => d.mutation.replace(/ (at|in|#|\().*$/, '').replace(/^number .*/, 'number')),
    );
    for (const kind of [
      'valid',
      'wrong type',
      'without',
      'extra fields',
      'huge string',
      'huge array',
      'deep nesting',
      'prototype keys',
      'NUL or lone surrogate',
      'number',
      'bad enum',
      'invalid JSON',
      'content type',
      'not an object',
    ]) {
      expect(
        [...kinds].some((k) => k.startsWith(kind)),
        kind,
      ).toBe(true);
    }
    const valid = draws.filter((d) => d.mutation === 'valid').map((d) => JSON.parse(d.body ?? 'null'));
    for (const v of valid) {
      expect(typeof v.name).toBe('string');
      expect(['a', 'b']).toContain(v.kind);
    }
  });

  it('fill the path with known, hostile and schema values, and the query with prototype keys', () => {
    const ids = new Set(draws.map((d) => d.url.split('?')[0]?.split('/')[4]));
    expect(ids).toContain('T-1');
    expect(ids).toContain('__proto__');
    expect(ids).toContain('%00');
    expect(draws.some((d) => d.url.includes('q=constructor'))).toBe(true);
  });

  it('send NUL, lone surrogates and prototype keys inside JSON bodies', () => {
    const bodies = draws.map((d) => d.body ?? '');
    expect(bodies.some((b) => b.includes('\\u0000'))).toBe(true);
    expect(bodies.some((b) => /\\ud8[0-3][0-9a-f]/i.test(b))).toBe(true);
    expect(bodies.some((b) => b.includes('"__proto__":'))).toBe(true);
  });

  it('draw no body for an operation without one unless breaking it', () => {
    const bodies = fc.sample(bodyArbitrary(undefined), { seed: 1, numRuns: 100 });
    expect(bodies.filter((b) => b.mutation === 'valid').every((b) => b.body === undefined)).toBe(true);
  });
});

describe('prototypeKeySweep', () => {
  it('puts each prototype key in each parameter and each top-level string field', () => {
    const sweep = prototypeKeySweep(put, known);
    expect(sweep.map((r) => r.mutation)).toEqual(
      ['constructor', '__proto__', 'toString'].flatMap((k) =>
        ['id', 'q', 'body.name', 'body.kind', 'body.at'].map((where) => `prototype key ${k} in ${where}`),
      ),
    );
    expect(sweep[0]?.url).toBe('/api/v1/things/constructor');
    expect(sweep[1]?.url).toBe('/api/v1/things/T-1?q=constructor');
    expect(JSON.parse(sweep[2]?.body ?? '{}')).toMatchObject({ name: 'constructor' });
  });
});
