import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TermCounter } from '../../../../extension/core/context/index/term-counter.js';
import { identifierTerms, pathTerms, queryTerms, splitIdentifier } from '../../../../extension/core/context/index/tokenize.js';

test('identifiers split on camelCase, acronyms, snake_case and digits', () => {
  assert.deepEqual(splitIdentifier('parseHTTPDate2'), ['parse', 'http', 'date', '2']);
  assert.deepEqual(splitIdentifier('snake_case_name'), ['snake', 'case', 'name']);
  assert.deepEqual(splitIdentifier('XMLParser'), ['xml', 'parser']);
});

/** The splitter's definition as regular expressions: the hand-written one must agree with it everywhere. */
function splitByRegex(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p.toLowerCase());
}

test('the hand-written splitter agrees with its regular-expression definition', () => {
  const samples = ['aB', 'ABc', 'ABCdEFg', 'AAbBBc', 'a1B', 'x2y', 'HTML5Parser', 'getV8Flags', 'utf8Decode', '__proto__', '$el', 'A', 'ab_CD_ef', 'é_name', 'IOError2X', 'x__y$$Z9z', '123abc', 'a.b-c d'];
  // And many generated ones, from an alphabet that exercises every boundary rule.
  let seed = 7;
  const alphabet = 'aAbB09_$zZ';
  for (let n = 0; n < 3000; n++) {
    let id = '';
    const len = 1 + (n % 9);
    for (let k = 0; k < len; k++) id += alphabet[(seed = (seed * 1103515245 + 12345) >>> 0) % alphabet.length];
    samples.push(id);
  }
  for (const id of samples) assert.deepEqual(splitIdentifier(id), splitByRegex(id), id);
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
  const counter = new TermCounter();
  const counted = counter.countText('const parseDate = (x) => parseDate(x) + 42; // the date');
  const tf = new Map([...counted.termIds].map((id, k) => [counter.terms[id]!, counted.tfs[k]!]));
  assert.equal(tf.get('parsedate'), 2);
  assert.equal(tf.get('date'), 3);
  assert.equal(tf.has('the'), false);
  assert.equal(tf.has('const'), false);
});

test('query terms use the same tokenisation', () => {
  assert.deepEqual(queryTerms('The isToday plugin breaks'), ['today', 'istoday', 'plugin', 'breaks']);
});
