import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTerms, identifierTerms, pathTerms, queryTerms, splitIdentifier } from '../../../../extension/core/context/index/tokenize.js';

test('identifiers split on camelCase, acronyms, snake_case and digits', () => {
  assert.deepEqual(splitIdentifier('parseHTTPDate2'), ['parse', 'http', 'date', '2']);
  assert.deepEqual(splitIdentifier('snake_case_name'), ['snake', 'case', 'name']);
  assert.deepEqual(splitIdentifier('XMLParser'), ['xml', 'parser']);
});

test('the whole identifier is kept beside its parts', () => {
  assert.deepEqual(identifierTerms('customParseFormat'), ['custom', 'parse', 'format', 'customparseformat']);
  assert.deepEqual(identifierTerms('utc'), ['utc']);
});

test('path terms cover segments, stems and their pieces', () => {
  const terms = pathTerms('src/plugin/customParseFormat/index.js');
  for (const t of ['src', 'plugin', 'customparseformat', 'custom', 'parse', 'format', 'index']) assert.ok(terms.includes(t), t);
  assert.ok(pathTerms('src/locale/zh-cn.js').includes('zh-cn'));
});

test('content terms count sub-words and drop stopwords and numbers', () => {
  const tf = contentTerms('const parseDate = (x) => parseDate(x) + 42; // the date');
  assert.equal(tf.get('parsedate'), 2);
  assert.equal(tf.get('date'), 3);
  assert.equal(tf.has('the'), false);
  assert.equal(tf.has('const'), false);
});

test('query terms use the same tokenisation', () => {
  assert.deepEqual(queryTerms('The isToday plugin breaks'), ['today', 'istoday', 'plugin', 'breaks']);
});
