// How the CLI answers approvals. `ask` prompts on the terminal; the others answer without a person:
// `never` declines everything (the task stops at the first action that needs approval), `edits` approves edits only,
// `all` approves whatever the rules leave to asking. Deny rules never reach an approver, so they bind in every mode.
// `sandboxed` runs a command the rules leave to asking inside the sandbox without a question, and asks on the terminal
// for everything else (edits, tools, escalations). An escalation (more than the sandbox gives) is never answered by an
// automatic mode: only a person grants it, or the sandbox would mean nothing under `--approve all`.
import { createInterface, type Interface } from 'node:readline';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/ports.js';
import { stripControl } from '../core/tools/protocol/logging.js';
import { mcpToolsDetail, mcpToolsHeadline } from '../core/tools/pinning/approval-text.js';
import { describeEscalation } from '../core/sandbox/approvals.js';
import { escapeControl } from '../core/policy/escape-control.js';

export type ApproveMode = 'ask' | 'edits' | 'all' | 'never' | 'sandboxed';
export const APPROVE_MODES: readonly ApproveMode[] = ['ask', 'edits', 'all', 'never', 'sandboxed'];

/** Why the policy asked, said once: Tiller's own defaults by their reason alone (the rule name only repeats it). */
function why(policy: { rule: string; reason: string; source: string }): string {
  if (policy.source === 'default' || policy.source === 'builtin' || policy.reason.includes(policy.rule)) return `  (${policy.reason})`;
  return `  (${policy.reason}; rule: ${policy.rule})`;
}

/**
 * The words of a terminal approval. Everything in it may come from the model or the repository, so control,
 * bidirectional and invisible characters are escaped (a carriage return would let `npm test` be drawn over the real
 * command); a shell command is shown with the directory it runs in, and with what the sandbox lets it touch.
 */
export function describeRequest(r: ApprovalRequest, sandbox?: string): string {
  return escapeControl(describeRaw(r, sandbox));
}

function describeRaw(r: ApprovalRequest, sandbox: string | undefined): string {
  switch (r.kind) {
    case 'shell': {
      const head = r.escalation
        ? `run the command OUTSIDE what the sandbox allows: ${r.command}\n  it asks for: ${describeEscalation(r.escalation)}\n  because: ${r.escalation.reason}`
        : `run the command: ${r.command}`;
      return `${head}\n  in: ${r.cwd}\n${why(r.policy)}${sandbox ? `\n${sandbox}` : ''}`;
    }
    case 'edit':
      return `change ${r.changeSet.files.map((f) => f.path).join(', ')}:\n${r.changeSet.files.map((f) => f.diff).join('\n')}\n${why(r.policy)}`;
    case 'tool':
      return `call the tool ${r.tool} with ${JSON.stringify(r.args)}\n${why(r.policy)}`;
    case 'plan':
      return `follow this plan:\n${r.plan}`;
    case 'continue':
      return `go on for ${r.extraSteps} more step${r.extraSteps === 1 ? '' : 's'}: ${r.reason}.\n${r.summary}`;
    case 'sampling':
      return `let the MCP server ${r.server} use the model (up to ${r.maxTokens} tokens) with:\n${[
        ...(r.systemPrompt !== undefined ? [`  system: ${stripControl(r.systemPrompt)}`] : []),
        ...r.messages.map((m) => `  ${m.role}: ${stripControl(m.text)}`),
      ].join('\n')}`;
    case 'mcp_tools':
      return `${mcpToolsHeadline(r)}:\n${mcpToolsDetail(r)}`;
  }
}

export function isEscalation(r: ApprovalRequest): boolean {
  return r.kind === 'shell' && r.escalation !== undefined;
}

export function automaticApprover(mode: Exclude<ApproveMode, 'ask' | 'sandboxed'>, log: (line: string) => void): Approver {
  return {
    async approve(request) {
      // A budget is the user's own limit, an escalation lifts the sandbox: only a person may, so no automatic mode does.
      const approved =
        request.kind !== 'continue' && !isEscalation(request) && (mode === 'all' || (mode === 'edits' && (request.kind === 'edit' || request.kind === 'plan')));
      log(`[approval ${approved ? 'granted' : 'declined'} by --approve ${mode}] ${describeRequest(request).split('\n')[0]}`);
      return approved ? { approved: true } : { approved: false };
    },
    async askUser(question) {
      log(`[question from the agent, unanswered in --approve ${mode}] ${question}`);
      return undefined;
    },
  };
}

export { sandboxedApprover } from '../core/sandbox/approvals.js';

/** Prompts on the terminal (or whatever feeds stdin). End of input counts as "no". */
export function terminalApprover(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  /** What a sandboxed command may touch, shown under every command prompt. */
  sandboxText?: string,
): Approver & { close(): void; prompt(text: string, signal?: AbortSignal): Promise<string | undefined> } {
  let rl: Interface | undefined;
  const lines: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const reader = () => {
    if (rl) return;
    rl = createInterface({ input, terminal: false });
    rl.on('line', (line) => {
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    });
    rl.on('close', () => {
      ended = true;
      for (const w of waiters.splice(0)) w(undefined);
    });
  };
  const nextLine = (signal?: AbortSignal) =>
    new Promise<string | undefined>((resolve) => {
      reader();
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      if (ended || signal?.aborted) return resolve(undefined);
      waiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(undefined), { once: true });
    });

  return {
    async approve(request, signal): Promise<ApprovalDecision> {
      output.write(
        `\nTiller wants to ${describeRequest(request, sandboxText)}\nApprove? [y]es / [n]o (stop) / or type a reason to decline and let the agent continue: `,
      );
      const answer = (await nextLine(signal))?.trim();
      // Interrupted at the prompt: the task is being stopped, which is not the user declining this one action.
      if (signal?.aborted) return { approved: false, reason: 'the task was stopped (Ctrl+C)' };
      if (answer === undefined) return { approved: false };
      if (/^(y|yes)$/i.test(answer)) return { approved: true };
      if (answer === '' || /^(n|no)$/i.test(answer)) return { approved: false };
      return { approved: false, reason: answer };
    },
    async askUser(question, signal) {
      output.write(`\nThe agent asks: ${question}\n> `);
      const answer = await nextLine(signal);
      return answer?.trim() ? answer.trim() : undefined;
    },
    /** A question of the harness's own (consent to start a server, an input value); one line back, trimmed. */
    async prompt(text, signal) {
      output.write(text);
      return (await nextLine(signal))?.trim();
    },
    close() {
      rl?.close();
    },
  };
}
