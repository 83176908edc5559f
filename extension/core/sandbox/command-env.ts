// Shared by the shell server (the model's commands) and the harness's own commands (checks, hooks: capped-run.ts).
// The environment a command runs with: an allowlist, so API keys and tokens in the editor's environment
// (OPENAI_API_KEY, TILLER_API_KEY, AWS_*, *_TOKEN, ...) never reach a command the model wrote.

const INHERITED = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'USER', 'SHELL'];

/** Non-interactive defaults: no pagers, no credential prompts, tools in CI mode. */
const FIXED: Record<string, string> = { TERM: 'dumb', CI: '1', GIT_TERMINAL_PROMPT: '0', PAGER: 'cat', GIT_PAGER: 'cat' };

export function buildCommandEnv(parent: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (INHERITED.includes(key) || key.startsWith('LC_')) env[key] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return { ...env, ...FIXED };
}
