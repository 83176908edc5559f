// Turns an approval request into the words of a confirmation dialog: exactly what will run or change, and why the
// policy asked. Pure, so what the user is shown is tested. Model-produced text is hostile: control characters,
// ANSI escapes and bidirectional overrides could make a command look different from what runs, so they are shown
// as visible escapes, and everything is length-capped so the buttons stay on screen.
import { summaryLines } from '../core/sandbox/profile.js';
import { describeEscalation } from '../core/sandbox/approvals.js';
import type { ApprovalRequest } from '../core/ports.js';
import { mcpToolsDetail, mcpToolsHeadline } from '../core/tools/pinning/approval-text.js';
import type { PolicyDecision } from '../core/policy/types.js';
import { escapeControl } from '../core/policy/escape-control.js';

export interface ApprovalText {
  /** The dialog's headline. */
  message: string;
  /** The dialog's body. */
  detail: string;
}

const MAX_DETAIL = 3000;
const MAX_LIST = 20;

/** Makes invisible or direction-changing characters visible, e.g. ESC -> \u001b, RLO -> \u202e (escape-control.ts). */
export function visible(text: string): string {
  return escapeControl(text);
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}

/** Always shown in full after the (capped) body: the user must see why they are asked. */
function why(policy: PolicyDecision): string {
  return `Why you are asked: ${visible(policy.reason)} (rule "${visible(policy.rule)}" from ${policy.source} settings).`;
}

function oneLine(text: string): string {
  return visible(text).replace(/\n/g, '\\n');
}

function diffStat(diff: string): string {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return `+${added} -${removed}`;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function describeApproval(request: ApprovalRequest): ApprovalText {
  switch (request.kind) {
    case 'shell':
      return {
        message: `Tiller wants to run a shell command in ${cap(oneLine(request.cwd), 200)}:\n${cap(oneLine(request.command), 300)}`,
        detail: `${cap(`Command: ${oneLine(request.command)}\nIn: ${oneLine(request.cwd)}`, MAX_DETAIL)}${
          request.escalation
            ? `\n\nOutside the sandbox: ${oneLine(describeEscalation(request.escalation))} — because: ${oneLine(request.escalation.reason)}`
            : ''
        }${request.sandbox ? `\n\n${summaryLines(request.sandbox).map(oneLine).join('\n')}` : ''}\n\n${why(request.policy)}`,
      };
    case 'tool':
      return {
        message: `Tiller wants to call the tool ${oneLine(request.tool)}`,
        detail: `${cap(`Arguments:\n${visible(stringify(request.args))}`, MAX_DETAIL)}\n\n${why(request.policy)}`,
      };
    case 'edit': {
      const files = request.changeSet.files;
      const lines = files.slice(0, MAX_LIST).map((f) => {
        const verb = f.newContent === null ? 'delete' : f.baseHash === null ? 'create' : 'modify';
        return `${verb} ${oneLine(f.path)} (${diffStat(f.diff)})`;
      });
      if (files.length > MAX_LIST) lines.push(`… and ${files.length - MAX_LIST} more files`);
      const description = request.changeSet.description ? `Change: ${cap(visible(request.changeSet.description), 1000)}\n\n` : '';
      return {
        message: `Tiller wants to change ${files.length} file${files.length === 1 ? '' : 's'}`,
        detail: `${cap(`${description}${lines.join('\n')}`, MAX_DETAIL)}\n\n${why(request.policy)}`,
      };
    }
    case 'plan':
      return {
        message: 'Tiller proposes this plan. Approve it to let Tiller carry it out.',
        detail: cap(visible(request.plan), MAX_DETAIL),
      };
    case 'continue':
      return {
        message: `Tiller stopped: ${oneLine(request.reason)}. Continue for ${request.extraSteps} more step${request.extraSteps === 1 ? '' : 's'}?`,
        detail: cap(visible(request.summary), MAX_DETAIL),
      };
    case 'sampling':
      return {
        message: `The MCP server ${oneLine(request.server)} wants to use the model (up to ${request.maxTokens} tokens)`,
        detail: cap(
          visible(
            [...(request.systemPrompt !== undefined ? [`system: ${request.systemPrompt}`] : []), ...request.messages.map((m) => `${m.role}: ${m.text}`)].join(
              '\n',
            ),
          ),
          MAX_DETAIL,
        ),
      };
    case 'mcp_tools':
      // Not capped: approving a tool list means approving every word the model will be given.
      return { message: `Tiller wants to ${mcpToolsHeadline(request)}`, detail: mcpToolsDetail(request) };
  }
}
