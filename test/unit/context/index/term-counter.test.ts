import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TermCounter, type CountedTerms } from '../../../../extension/core/context/index/term-counter.js';
import { countIdentifiers } from '../../../../extension/core/context/index/tokenize.js';

/** Counted terms by term text: two counters number their terms differently. */
function byTerm(counter: TermCounter, counted: CountedTerms): Map<string, number> {
  const out = new Map<string, number>();
  counted.termIds.forEach((t, k) => out.set(counter.terms[t]!, counted.tfs[k]!));
  return out;
}

const TEXTS = [
  'export function parseDate(text: string) { return new Date(parseDate_cache[text] ?? 0); }',
  'const HTTPServer = createHTTPServer({ port: 0x1F, timeout: 1e9, retries: 3 });\nHTTPServer.listen();',
  'def reconcile_ledger(entries):\n    return sum(e.amount for e in entries)  # ledger totals\n',
  // Identifiers of 1, 2, 80 and 81 characters: only 2 to 80 count.
  `x ab ${'a'.repeat(80)} ${'b'.repeat(81)} $el _private __proto__ snake_case_name`,
  'naïve café: résumé_value = déjà_vu + über;',
  'trailingIdentifierAtEndOfText',
  '',
  '12345 678abc 9_x \u{1F600} emoji_name',
];

test('countText counts the same terms as count(countIdentifiers(text))', () => {
  for (const text of TEXTS) {
    const direct = new TermCounter();
    const viaMap = new TermCounter();
    const a = direct.countText(text);
    const b = viaMap.count(countIdentifiers(text));
    assert.deepEqual(byTerm(direct, a), byTerm(viaMap, b), text);
    assert.equal(a.length, b.length, text);
  }
});

test('one counter across many texts, its memo starting again every few identifiers, still agrees', () => {
  const direct = new TermCounter(3);
  const viaMap = new TermCounter(3);
  for (let round = 0; round < 3; round++) {
    for (const text of TEXTS) {
      assert.deepEqual(byTerm(direct, direct.countText(text)), byTerm(viaMap, viaMap.count(countIdentifiers(text))), text);
    }
  }
});

test('a text with more distinct terms than the scratch array holds is counted exactly', () => {
  const words = Array.from({ length: 5000 }, (_, k) => `word${k}Alpha word${k}Alpha`).join(' ');
  const counter = new TermCounter();
  const counts = byTerm(counter, counter.countText(words));
  // Each identifier gives 'word', its number (dropped: digits only), 'alpha' and the whole identifier, twice.
  assert.equal(counts.get('word'), 10000);
  assert.equal(counts.get('alpha'), 10000);
  assert.equal(counts.get('word4999alpha'), 2);
  // The scratch array is left zeroed: a second text is not polluted by the first.
  assert.deepEqual(byTerm(counter, counter.countText('alpha')), new Map([['alpha', 1]]));
});

test('identifiers whose hashes all collide are still counted exactly (the probe limit falls back to the map)', () => {
  // With a multiplier of 1 the hash is the sum of the characters: every arrangement of the same letters collides.
  const letters = 'abcdefgh';
  const anagrams: string[] = [];
  for (let k = 0; k < 400; k++) {
    const chars = [...letters];
    for (let j = chars.length - 1; j > 0; j--) {
      const r = (k * 7 + j * 13) % (j + 1);
      [chars[j], chars[r]] = [chars[r]!, chars[j]!];
    }
    anagrams.push(chars.join(''));
  }
  const text = anagrams.map((a, k) => `${a} ${a}_${k % 5}`).join('\n');
  const colliding = new TermCounter(undefined, 1);
  const viaMap = new TermCounter();
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(byTerm(colliding, colliding.countText(text)), byTerm(viaMap, viaMap.count(countIdentifiers(text))));
  }
});
