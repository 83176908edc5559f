// Approval modes that use the sandbox, shared by the CLI (`--approve sandboxed`) and VS Code (`tiller.approvals`).
// In `sandboxed`, a command the rules leave to asking runs inside the sandbox without a question, but only when the
// shell server is known to sandbox every command (it was started with `--sandbox required`); everything else (edits,
// MCP tools, plans, escalations) goes to the person. Deny rules never reach an approver, so they bind here too.
import type { Approver, SandboxSummary, ShellEscalation } from '../ports.js';

/** What an escalation asks for, in one line: `network to x.dev; writing /srv/out`. */
export function describeEscalation(e: ShellEscalation): string {
  const parts = [...(e.network.length ? [`network to ${e.network.join(', ')}`] : []), ...(e.write.length ? [`writing ${e.write.join(', ')}`] : [])];
  return parts.length ? parts.join('; ') : 'nothing named (it still runs in the sandbox)';
}

export type ApprovalsSetting = 'ask' | 'sandboxed';

export function sandboxedApprover(person: Approver, sandboxActive: boolean, log: (line: string) => void = () => {}): Approver {
  return {
    async approve(request, signal) {
      if (sandboxActive && request.kind === 'shell' && !request.escalation) {
        log(`[approval granted by --approve sandboxed: runs inside the sandbox] ${request.command}`);
        return { approved: true };
      }
      return person.approve(request, signal);
    },
    askUser: (question, signal) => person.askUser(question, signal),
  };
}

/** Adds what a command may touch to every shell approval request, for the card and the dialog. */
export function withSandboxSummary(inner: Approver, summary: SandboxSummary): Approver {
  return {
    approve: (request, signal) => inner.approve(request.kind === 'shell' ? { ...request, sandbox: summary } : request, signal),
    askUser: (question, signal) => inner.askUser(question, signal),
  };
}
