// The VS Code client's mapping from editor state to rank signals and index excludes (context-signals.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { excludeGlobs, RecentEdits, rankSignals, SEVERITY_ERROR, SEVERITY_WARNING } from '../../../extension/vscode/context-signals.js';

const root = join('/', 'ws', 'project');
const abs = (rel: string): string => join(root, ...rel.split('/'));

test('editor state becomes workspace-relative signals; files outside the folder are dropped', () => {
  const signals = rankSignals(root, {
    activeFile: abs('src/a.ts'),
    visibleFiles: [abs('src/a.ts'), abs('src/b.ts'), join('/', 'elsewhere', 'x.ts')],
    openFiles: [abs('src/c.ts'), abs('src/b.ts')],
    recentEdits: [abs('src/d.ts'), join(root, '..', 'sibling', 'y.ts')],
    diagnostics: [],
  });
  assert.deepEqual(signals, {
    activeFile: 'src/a.ts',
    openFiles: ['src/a.ts', 'src/b.ts', 'src/c.ts'],
    recentEdits: ['src/d.ts'],
  });
});

test('problems: errors and warnings only, 1-based lines, errors kept first when capped', () => {
  const many = Array.from({ length: 250 }, (_, i) => ({ line: i, message: `warn ${i}`, severity: SEVERITY_WARNING }));
  const signals = rankSignals(root, {
    visibleFiles: [],
    diagnostics: [
      [abs('src/w.ts'), many],
      [abs('src/e.ts'), [{ line: 4, message: 'x'.repeat(1000), severity: SEVERITY_ERROR }, { line: 1, message: 'hint', severity: 3 }]],
      [join('/', 'outside', 'o.ts'), [{ line: 0, message: 'no', severity: SEVERITY_ERROR }]],
    ],
  });
  const diagnostics = signals.diagnostics ?? [];
  assert.equal(diagnostics.length, 200);
  assert.deepEqual({ ...diagnostics[0], message: diagnostics[0]?.message.length }, { path: 'src/e.ts', line: 5, message: 300, severity: 'error' });
  assert.ok(diagnostics.slice(1).every((d) => d.path === 'src/w.ts' && d.severity === 'warning'));
  assert.equal(signals.activeFile, undefined);
  assert.equal(signals.openFiles, undefined);
});

test('exclude globs: keys set to true from files.exclude and search.exclude, without repeats or when-clauses', () => {
  assert.deepEqual(
    excludeGlobs({ '**/.git': true, '**/*.js': { when: '$(basename).ts' }, '**/tmp': false }, { '**/node_modules': true, '**/.git': true, '  ': true }, undefined),
    ['**/.git', '**/node_modules'],
  );
});

test('recent edits: newest first, no repeats, capped', () => {
  const recent = new RecentEdits(3);
  for (const f of ['a', 'b', 'c', 'a', 'd']) recent.touch(f);
  assert.deepEqual(recent.list(), ['d', 'a', 'c']);
});
