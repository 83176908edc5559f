import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateToolArgs } from '../../../extension/core/tools/schema-validate.js';

const readFileSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1 },
    startLine: { type: 'integer', minimum: 1 },
    edits: { type: 'array', items: { type: 'object', properties: { search: { type: 'string' } }, required: ['search'] } },
    mode: { enum: ['a', 'b'] },
  },
  required: ['path'],
  additionalProperties: false,
};

test('valid arguments pass', () => {
  assert.deepEqual(validateToolArgs(readFileSchema, { path: 'a.ts', startLine: 3 }), { ok: true });
});

test('every failing path is named', () => {
  const r = validateToolArgs(readFileSchema, { startLine: 1.5 });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, '`path` is required; `startLine` must be integer');
});

test('nested paths, unknown properties and enums read naturally', () => {
  const r = validateToolArgs(readFileSchema, { path: 'x', edits: [{ search: 's' }, {}], extra: 1, mode: 'c' });
  assert.equal(r.ok, false);
  const error = r.ok ? '' : r.error;
  assert.match(error, /`edits\[1\]\.search` is required/);
  assert.match(error, /`extra` is not an accepted argument/);
  assert.match(error, /`mode` must be one of "a", "b"/);
});

test('non-object arguments and other keywords', () => {
  const notObject = validateToolArgs(readFileSchema, 'text');
  assert.equal(!notObject.ok && notObject.error, 'the arguments must be object');
  const tooShort = validateToolArgs(readFileSchema, { path: '' });
  assert.match(!tooShort.ok ? tooShort.error : '', /`path` must NOT have fewer than 1 characters/);
});

test('a broken schema fails closed with a reason', () => {
  const r = validateToolArgs({ type: 'object', properties: { a: { type: 'no-such-type' } } }, { a: 1 });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /input schema is invalid/);
});
