// The core's folder order (CORE_LAYERS in eslint.config.mjs) is a lint rule, so it must keep failing where it should:
// this runs the project's own ESLint configuration on imports that break the order, as files at those places.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../../helpers/bundles.js';

// Only the import rule runs, without type information: a fixture that exists nowhere on disk cannot be in the
// TypeScript project, and the typed rules have nothing to say about an import line.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const x = 1;\n`, { filePath: join(repoRoot, file) });
  assert.ok(result, `ESLint returned nothing for ${file}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('a policy file that imports from core/agent fails lint', async () => {
  const errors = await importErrors('extension/core/policy/zz-fixture.ts', "import type { TaskStatus } from '../agent/types.js';");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /core\/policy is below core\/agent/);
});

test('a model file that imports from core/tools fails lint', async () => {
  const errors = await importErrors('extension/core/model/zz-fixture.ts', "import { createToolHost } from '../tools/host.js';");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /core\/model is below core\/tools/);
});

test('nothing below the root may import the composition root, and vscode stays out of the core', async () => {
  assert.match((await importErrors('extension/core/trace/replay/zz-fixture.ts', "import { createHarness } from '../../harness.js';"))[0] ?? '', /composition root/);
  assert.match((await importErrors('extension/core/storage/zz-fixture.ts', "import * as vscode from 'vscode';"))[0] ?? '', /never import vscode/);
});

test('imports that follow the order pass', async () => {
  assert.deepEqual(await importErrors('extension/core/agent/zz-fixture.ts', "import { strictest } from '../policy/types.js';\nimport { writeFileAtomicSync } from '../storage/atomic-sync.js';"), []);
  assert.deepEqual(await importErrors('extension/core/context/zz-fixture.ts', "import type { ContextHooks } from '../../agent/context-hooks.js';"), []);
});
