// Runs the hooks of an event: those whose matcher covers the call, one after another, each inside the sandbox through
// runCapped with its own timeout and capped output, each traced (`hook` event). Their answers are merged into one
// verdict for the gate or the loop. A hook that fails is reported (trace notice and the UI) and decides nothing.
import type { SandboxRunner } from '../../sandbox/runner.js';
import { runCapped } from '../../sandbox/capped-run.js';
import type { TraceSink } from '../../trace/events.js';
import { redactSecrets } from '../../trace/redact.js';
import type { HookCommand, HookEvent } from './config.js';
import { interpretHookRun, type HookResult } from './output.js';
import { mergeHookPermissions } from './permission.js';
import { claudeToolInput, claudeToolName, matchableNames, matcherCovers } from './tool-input.js';
import type { AfterToolVerdict, BeforeToolVerdict, EventVerdict, HookPermission, LifecycleHooks, ToolCallInfo } from './types.js';

/** Per stream: enough for a reason or a context paragraph; a hook printing more is cut in the middle. */
const HOOK_OUTPUT_BYTES = 64 * 1024;
/** What the trace keeps of a hook's output. */
const TRACED_OUTPUT_CHARS = 2000;
/** How many times in a row a Stop hook may send the agent back to work before its block is ignored. */
export const MAX_STOP_CONTINUATIONS = 8;

/** The environment a hook runs with: an allowlist (no API keys), plus where the project is. */
function hookEnv(parent: NodeJS.ProcessEnv, root: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (['PATH', 'HOME', 'LANG', 'USER', 'SHELL', 'TMPDIR'].includes(key) || key.startsWith('LC_')) env[key] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return { ...env, TERM: 'dumb', CI: '1', GIT_TERMINAL_PROMPT: '0', CLAUDE_PROJECT_DIR: root, TILLER_PROJECT_DIR: root };
}

export interface HookRuntimeOptions {
  hooks: HookCommand[];
  runner: SandboxRunner;
  workspaceRoot: string;
  sessionId: string;
  /** The session log of the running task (`transcript_path`). */
  transcriptPath: () => string | undefined;
  trace: TraceSink;
  env?: NodeJS.ProcessEnv;
}

export interface HookRuntime extends LifecycleHooks {
  /** Tells the running task's UI about hooks that failed; returns the detach. */
  attach(notify: (message: string) => void): () => void;
  readonly count: number;
}

interface RunOne {
  hook: HookCommand;
  result: HookResult;
}

export function createHookRuntime(options: HookRuntimeOptions): HookRuntime {
  const env = hookEnv(options.env ?? process.env, options.workspaceRoot);
  let notify: ((message: string) => void) | undefined;

  const runEvent = async (
    event: HookEvent,
    payload: Record<string, unknown>,
    at: { agent: string; step: number; names?: string[]; signal?: AbortSignal | undefined },
  ): Promise<RunOne[]> => {
    const matching = options.hooks.filter((h) => h.event === event && (at.names === undefined || matcherCovers(h.matcher, at.names)));
    const out: RunOne[] = [];
    for (const hook of matching) {
      if (at.signal?.aborted) break;
      const stdin = JSON.stringify({
        session_id: options.sessionId,
        transcript_path: options.transcriptPath() ?? null,
        cwd: options.workspaceRoot,
        hook_event_name: event,
        ...payload,
      });
      const run = await runCapped({
        runner: options.runner,
        command: hook.command,
        cwd: options.workspaceRoot,
        env,
        stdin,
        timeoutMs: hook.timeoutSec * 1000,
        maxOutputBytes: HOOK_OUTPUT_BYTES,
        ...(at.signal ? { signal: at.signal } : {}),
      });
      const result = interpretHookRun(event, run, hook.timeoutSec);
      const decision = result.outcome === 'block' ? 'block' : result.outcome === 'error' ? 'error' : (result.permission?.decision ?? 'none');
      const output = [run.stdout.trim() && `stdout: ${run.stdout.trim()}`, run.stderr.trim() && `stderr: ${run.stderr.trim()}`].filter(Boolean).join('\n');
      options.trace.emit(at.agent, {
        type: 'hook',
        step: at.step,
        event,
        matcher: hook.matcher,
        command: hook.command,
        source: hook.source,
        exitCode: run.exitCode,
        timedOut: run.timedOut,
        durationMs: run.durationMs,
        decision,
        sandboxed: run.sandboxed,
        ...(output ? { output: redactSecrets(output).slice(0, TRACED_OUTPUT_CHARS) } : {}),
      });
      if (result.outcome === 'error') {
        const message = `hook ${event} (${hook.file}: ${hook.command}) ${result.message ?? 'failed'}; it neither blocks nor allows`;
        options.trace.emit(at.agent, { type: 'notice', step: at.step, message });
        notify?.(message);
      }
      out.push({ hook, result });
    }
    return out;
  };

  const ruleOf = (hook: HookCommand) => `hook ${hook.event} ${hook.file}: ${hook.command}`;
  const toEvent = (runs: RunOne[]): EventVerdict => {
    const blocks = runs.filter((r) => r.result.outcome === 'block').map((r) => r.result.message ?? 'blocked by a hook');
    const stop = runs.find((r) => r.result.stop !== undefined)?.result.stop;
    return {
      ...(blocks.length ? { block: blocks.join('\n') } : {}),
      ...(stop !== undefined ? { stop } : {}),
      context: runs.flatMap((r) => (r.result.context ? [r.result.context] : [])),
    };
  };

  const toolPayload = (call: ToolCallInfo) => ({
    tool_name: claudeToolName(call.tool, call.args),
    tool_input: claudeToolInput(call.tool, call.args, options.workspaceRoot),
    tiller_tool: call.tool,
    tiller_input: call.args,
  });

  return {
    count: options.hooks.length,
    attach(n) {
      notify = n;
      return () => {
        if (notify === n) notify = undefined;
      };
    },
    async beforeTool(call): Promise<BeforeToolVerdict> {
      const runs = await runEvent('PreToolUse', toolPayload(call), {
        agent: call.agent,
        step: call.step,
        names: matchableNames(call.tool, call.args),
        signal: call.signal,
      });
      const verdict = toEvent(runs);
      const permissions: HookPermission[] = runs.flatMap((r) =>
        r.result.permission
          ? [
              {
                decision: r.result.permission.decision,
                reason: r.result.permission.reason ?? `${ruleOf(r.hook)} said ${r.result.permission.decision}`,
                source: r.hook.source,
                rule: ruleOf(r.hook),
              },
            ]
          : [],
      );
      const permission = mergeHookPermissions(permissions);
      // `continue: false` on a tool call stops that call (the task goes on with the reason, as a block).
      const block = verdict.block ?? verdict.stop;
      return { ...(block !== undefined ? { block } : {}), ...(permission ? { permission } : {}), context: verdict.context };
    },
    async afterTool(call): Promise<AfterToolVerdict> {
      const runs = await runEvent(
        'PostToolUse',
        { ...toolPayload(call), tool_response: { content: call.result.content, isError: call.result.isError } },
        { agent: call.agent, step: call.step, names: matchableNames(call.tool, call.args), signal: call.signal },
      );
      const verdict = toEvent(runs);
      const feedback = verdict.block ?? verdict.stop;
      return { ...(feedback !== undefined ? { feedback } : {}), context: verdict.context };
    },
    async sessionStart(info) {
      return toEvent(await runEvent('SessionStart', { source: info.source }, { agent: info.agent, step: 0, signal: info.signal }));
    },
    async userPromptSubmit(info) {
      return toEvent(await runEvent('UserPromptSubmit', { prompt: info.prompt }, { agent: info.agent, step: 0, signal: info.signal }));
    },
    async stop(info) {
      const event: HookEvent = info.subagent ? 'SubagentStop' : 'Stop';
      return toEvent(await runEvent(event, { stop_hook_active: info.active }, { agent: info.agent, step: info.step, signal: info.signal }));
    },
    async preCompact(info) {
      return toEvent(
        await runEvent(
          'PreCompact',
          { trigger: info.trigger, custom_instructions: '' },
          { agent: info.agent, step: info.step, names: [info.trigger], signal: info.signal },
        ),
      );
    },
  };
}
