// `tiller check`: how the permission rules decide one action, with the rule that decided and why — so users can test
// their rules without running an agent. `--tool` takes the call as the agent would make it, so a built-in tool is
// judged by what it does (`workspace.read_file` with a path is a read of that path).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { createPolicyEngine } from '../core/policy/engine.js';
import { readProjectRules } from '../core/policy/project-consent.js';
import { ConsentStore } from '../core/storage/consent-store.js';
import { readClaudeRules, unionRules } from '../core/policy/claude-permissions.js';
import { homedir } from 'node:os';
import { tillerHome } from '../core/harness.js';
import { initShellParser } from '../core/policy/shell-parser.js';
import { decisionToJson } from '../core/policy/check.js';
import { strictest, type PolicyAction } from '../core/policy/types.js';
import { actionsForToolCall } from '../core/agent/tool-actions.js';
import { shellSyntaxOf } from '../core/policy/shell-syntax-report.js';
import { escapeControl } from '../core/policy/escape-control.js';
import { UsageError } from './exit-codes.js';
import { loadUserRules } from './user-rules.js';
import type { CliIo } from './io.js';

export const CHECK_USAGE = 'tiller check --workspace DIR (--read PATH | --write PATH | --command CMD [--cwd DIR] | --tool SERVER.TOOL [--args JSON]) [--json]';

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        workspace: { type: 'string', short: 'w' },
        read: { type: 'string' },
        write: { type: 'string' },
        command: { type: 'string' },
        tool: { type: 'string' },
        args: { type: 'string' },
        cwd: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${CHECK_USAGE}`);
  }
  if (!values.workspace) throw new UsageError(`--workspace DIR is required\nusage: ${CHECK_USAGE}`);
  const given = (['read', 'write', 'command', 'tool'] as const).filter((k) => values[k] !== undefined);
  if (given.length !== 1) throw new UsageError(`give exactly one of --read, --write, --command or --tool\nusage: ${CHECK_USAGE}`);
  if (values.args !== undefined && !values.tool) throw new UsageError('--args goes with --tool');
  if (values.cwd !== undefined && values.command === undefined) throw new UsageError('--cwd goes with --command');
  let root: string;
  try {
    root = realpathSync(resolve(values.workspace));
  } catch {
    throw new UsageError(`workspace folder not found: ${values.workspace}`);
  }

  // The rules as a run would have them: the project's allows only with consent to the file's exact content.
  const store = new ConsentStore(tillerHome());
  const project = readProjectRules(root, store);
  for (const e of project.errors) io.stderr.write(`warning: ${e.message}\n`);
  // `.claude/settings.json` permissions are project rules too (allows only with consent).
  const claude = readClaudeRules(root, io.env.HOME ?? homedir(), store);
  for (const w of claude.warnings) io.stderr.write(`warning: ${w}\n`);
  const userRules = loadUserRules();
  await initShellParser();
  const engine = createPolicyEngine({ workspaceRoots: [root], ...(userRules ? { userRules } : {}), projectRules: unionRules(project.inForce, claude.inForce) });
  // What the unconsented allows would have decided, so the user sees why a rule they can read does not apply.
  const withAllows = project.unconsentedAllows.length
    ? createPolicyEngine({ workspaceRoots: [root], ...(userRules ? { userRules } : {}), projectRules: project.rules })
    : undefined;

  const actions: PolicyAction[] =
    values.read !== undefined
      ? [{ kind: 'read', path: values.read }]
      : values.write !== undefined
        ? [{ kind: 'write', path: values.write }]
        : values.command !== undefined
          ? [{ kind: 'shell', command: values.command, ...(values.cwd !== undefined ? { cwd: values.cwd } : {}) }]
          : actionsForToolCall(values.tool!, parseToolArgs(values.args));
  const decision = strictest(actions.map((a) => engine.decide(a)))!;
  const would = withAllows ? strictest(actions.map((a) => withAllows.decide(a))) : undefined;
  const unconsented = would && would.source === 'project' && would.decision === 'allow' && decision.decision !== 'allow' ? would.rule : undefined;
  const note = unconsented
    ? `the project rule \`${unconsented}\` would allow this, but it is not in force: you have not agreed to ${project.file}'s content (a run asks in --approve ask; --trust-workspace-config agrees for one run)`
    : undefined;
  const out = { ...decisionToJson(decision), ...(unconsented ? { unconsentedProjectAllow: unconsented, note } : {}) };
  const shell = actions.find((a) => a.kind === 'shell');
  const syntax = shell ? shellSyntaxOf(shell.command) : undefined;
  if (values.json) io.stdout.write(JSON.stringify({ ...out, ...(syntax ?? {}) }) + '\n');
  else {
    io.stdout.write(`${out.decision}\nrule:   ${out.rule}\nreason: ${escapeControl(out.reason)}\n${note ? `note:   ${note}\n` : ''}`);
    if (syntax) {
      io.stdout.write(`syntax: ${syntax.syntax.join(' ') || '(none)'}\n`);
      for (const c of syntax.commands) io.stdout.write(`runs:   ${escapeControl(c.join(' '))}\n`);
    }
  }
  return 0;
}

function parseToolArgs(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--args is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--args must be a JSON object');
  return value as Record<string, unknown>;
}
