// What one hook's run means, in Claude Code's protocol: exit 0 is fine (stdout parsed when it is JSON), exit 2 blocks
// with stderr as the reason, any other exit is a non-blocking error that is reported. A hook that timed out, crashed
// or could not start is reported and counts as neither a block nor an allow.
import { z } from 'zod';
import type { CappedRunResult } from '../../sandbox/capped-run.js';
import type { HookEvent } from './config.js';
import type { HookPermissionDecision } from './types.js';

const outputSchema = z
  .object({
    continue: z.boolean().optional(),
    stopReason: z.string().optional(),
    decision: z.enum(['block', 'approve']).optional(),
    reason: z.string().optional(),
    additionalContext: z.string().optional(),
    hookSpecificOutput: z
      .object({
        permissionDecision: z.enum(['allow', 'ask', 'deny']).optional(),
        permissionDecisionReason: z.string().optional(),
        additionalContext: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

export interface HookResult {
  /** `none`: it ran and said nothing that decides; `error`: it failed (timeout, crash, other exit) and decides nothing. */
  outcome: 'none' | 'block' | 'error';
  /** The reason told to the model (block) or the user (error). */
  message?: string;
  permission?: { decision: HookPermissionDecision; reason?: string };
  context?: string;
  stop?: string;
}

/** Events whose plain (non-JSON) stdout on exit 0 becomes context, as in Claude Code. */
const PLAIN_STDOUT_IS_CONTEXT: readonly HookEvent[] = ['SessionStart', 'UserPromptSubmit'];

export function interpretHookRun(event: HookEvent, run: CappedRunResult, timeoutSec: number): HookResult {
  if (run.spawnError !== undefined) return { outcome: 'error', message: `could not start: ${run.spawnError}` };
  if (run.timedOut) return { outcome: 'error', message: `killed after its timeout of ${timeoutSec}s` };
  if (run.cancelled) return { outcome: 'error', message: 'cancelled' };
  if (run.exitCode === null) return { outcome: 'error', message: 'ended without an exit code (killed by a signal)' };
  if (run.exitCode === 2) return { outcome: 'block', message: run.stderr.trim() || 'blocked by a hook (exit 2, nothing on stderr)' };
  if (run.exitCode !== 0) return { outcome: 'error', message: `exited with ${run.exitCode}${run.stderr.trim() ? `: ${run.stderr.trim().slice(0, 500)}` : ''}` };
  const text = run.stdout.trim();
  if (!text.startsWith('{')) return text && PLAIN_STDOUT_IS_CONTEXT.includes(event) ? { outcome: 'none', context: text } : { outcome: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return PLAIN_STDOUT_IS_CONTEXT.includes(event) ? { outcome: 'none', context: text } : { outcome: 'none' };
  }
  const parsed = outputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      outcome: 'error',
      message: `printed JSON that is not hook output (${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}); it decides nothing`,
    };
  }
  const o = parsed.data;
  const result: HookResult = { outcome: 'none' };
  const context = o.hookSpecificOutput?.additionalContext ?? o.additionalContext;
  if (context?.trim()) result.context = context.trim();
  if (o.continue === false) result.stop = o.stopReason?.trim() || 'a hook stopped the task';
  const permission = o.hookSpecificOutput?.permissionDecision;
  if (permission)
    result.permission = {
      decision: permission,
      ...(o.hookSpecificOutput?.permissionDecisionReason ? { reason: o.hookSpecificOutput.permissionDecisionReason } : {}),
    };
  else if (o.decision === 'approve') result.permission = { decision: 'allow', ...(o.reason ? { reason: o.reason } : {}) };
  if (o.decision === 'block') {
    result.outcome = 'block';
    result.message = o.reason?.trim() || 'blocked by a hook';
  }
  return result;
}
