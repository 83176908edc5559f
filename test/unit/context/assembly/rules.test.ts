import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, parseFrontMatter } from '../../../../extension/core/context/assembly/rules.js';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'tiller-rules-'));
  mkdirSync(join(root, 'pkg', 'api'), { recursive: true });
  mkdirSync(join(root, '.tiller', 'rules'), { recursive: true });
  writeFileSync(join(root, 'AGENTS.md'), 'Root rule: use pnpm.');
  writeFileSync(join(root, 'pkg', 'AGENTS.md'), 'Pkg rule.');
  writeFileSync(join(root, 'pkg', 'api', 'AGENTS.md'), 'Api rule.');
  writeFileSync(join(root, '.tiller', 'rules', 'always.md'), 'Always rule.');
  writeFileSync(join(root, '.tiller', 'rules', 'py.md'), '---\nglobs: ["**/*.py"]\n---\nPython rule.');
  writeFileSync(join(root, '.tiller', 'rules', 'api.md'), '---\nglobs:\n  - pkg/api/**\n---\nApi glob rule.');
  writeFileSync(join(root, '.tiller', 'rules', 'broken.md'), '---\nglobs: x\nno end');
  return root;
}

test('root AGENTS.md always; nested ones and glob rules only for touched paths, shallow first', () => {
  const root = workspace();
  const none = loadRules(root, []);
  assert.deepEqual(none.rules.map((r) => r.path), ['AGENTS.md', '.tiller/rules/always.md']);
  const api = loadRules(root, ['pkg/api/server.ts']);
  assert.deepEqual(api.rules.map((r) => r.path), ['AGENTS.md', 'pkg/AGENTS.md', 'pkg/api/AGENTS.md', '.tiller/rules/always.md', '.tiller/rules/api.md']);
  assert.equal(api.rules.find((r) => r.path === '.tiller/rules/api.md')!.text.trim(), 'Api glob rule.');
  assert.match(api.rules.at(-1)!.reason, /matches pkg\/api\/server\.ts/);
  assert.ok(loadRules(root, ['tools/x.py']).rules.some((r) => r.path === '.tiller/rules/py.md'));
});

test('a rule file with broken front matter is reported, not used', () => {
  const { problems, rules } = loadRules(workspace(), []);
  assert.ok(!rules.some((r) => r.path.endsWith('broken.md')));
  assert.match(problems.join('\n'), /broken\.md: front matter starts with --- but never ends/);
});

test('front matter forms: comma list, JSON list, YAML list; unsafe globs refused', () => {
  assert.deepEqual(parseFrontMatter('---\nglobs: a/**, "b/*.ts"\n---\nbody'), { globs: ['a/**', 'b/*.ts'], body: 'body' });
  assert.deepEqual(parseFrontMatter('no front matter'), { globs: [], body: 'no front matter' });
  assert.match((parseFrontMatter('---\nglobs: ../x\n---\n') as { error: string }).error, /workspace-relative/);
});

test('a rule file linking outside the workspace is refused, so its target never reaches the model', async () => {
  const { symlinkSync } = await import('node:fs');
  const root = mkdtempSync(join(tmpdir(), 'tiller-rules-link-'));
  const outside = mkdtempSync(join(tmpdir(), 'tiller-rules-out-'));
  writeFileSync(join(outside, 'id_rsa'), 'PRIVATE KEY');
  symlinkSync(join(outside, 'id_rsa'), join(root, 'AGENTS.md'));
  const { rules, problems } = loadRules(root, []);
  assert.deepEqual(rules, []);
  assert.match(problems.join('\n'), /AGENTS\.md: links outside the workspace/);
});
