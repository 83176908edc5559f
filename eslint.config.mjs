// Lint: typescript-eslint with type information so that floating promises are caught, a layer rule that keeps
// the `vscode` module out of the core (the core runs in plain Node: the CLI, tests and benchmarks), and an order of
// the core's own folders so that a lower folder importing a higher one fails (test/integration/lint/ checks the rule
// is still there).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_VSCODE = { name: 'vscode', message: 'The core, CLI, protocol and MCP servers never import vscode; go through ports.ts.' };

/**
 * `extension/core/`'s folders, lowest first: each may import the ones before it and never one after it. storage and
 * model are leaves; policy decides on data only; sandbox turns the policy into OS enforcement; trace and memory
 * record; tools host MCP servers (and record through trace); edits apply change sets under the policy; checks run the
 * configured check commands (policy, sandbox, trace) and digest their output; agent is the loop. workflows reads the
 * commands, agents and skills a workspace brings (shapes in agent/profile.ts). context sits above them because it
 * implements the agent's ports (ContextHooks, its prompts) and lists skills; harness.ts and run-replay.ts at the root
 * compose everything.
 */
export const CORE_LAYERS = ['storage', 'model', 'policy', 'sandbox', 'trace', 'memory', 'tools', 'edits', 'worktrees', 'checks', 'agent', 'workflows', 'context'];
const COMPOSITION_ROOT = ['harness', 'run-replay'];

/** @returns {import('eslint').Linter.Config[]} */
function layerZones() {
  return CORE_LAYERS.map((layer, i) => {
    const higher = CORE_LAYERS.slice(i + 1);
    const patterns = [
      ...higher.map((h) => ({ regex: `(^|/)${h}/`, message: `core/${layer} is below core/${h} (CORE_LAYERS in eslint.config.mjs): move what both need down, or invert the dependency through a port.` })),
      ...COMPOSITION_ROOT.map((r) => ({ regex: `(^|/)${r}(\\.js)?$`, message: `core/${layer} must not import the composition root (core/${r}.ts).` })),
    ];
    return {
      files: [`extension/core/${layer}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns }] },
    };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.js', 'test/fixtures/workspaces/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The scripts (.mjs, plain Node so they run before `npm install`) are type-checked through checkJs and linted alike.
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }, globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', require: 'readonly', __dirname: 'readonly' } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['extension/core/**/*.ts', 'extension/cli/**/*.ts', 'extension/protocol/**/*.ts', 'mcp-servers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE] }] },
  },
  // After the general rule, so that inside core/<layer>/ these (which keep NO_VSCODE) replace it.
  ...layerZones(),
);
