// Approvals in a worktree task whose user chose to apply edits there without asking each time (approval mode
// `edits`): the task's edits land in its own worktree and are reviewed when brought back, so they go ahead — except
// a write to a protected path (`.tiller/`, `.vscode/…`, `.git`, hooks), which still asks, as everywhere. Everything
// else (commands, tools, plans, budgets) goes to the approver the task would have had anyway.
import { PROTECTED_WRITE_PATTERNS } from '../policy/defaults.js';
import { compileGlob, matchGlob } from '../policy/glob.js';
import type { Approver } from '../ports.js';

const PROTECTED = PROTECTED_WRITE_PATTERNS.map(compileGlob);

export function touchesProtectedPath(paths: readonly string[]): boolean {
  return paths.some((p) => PROTECTED.some((g) => matchGlob(g, { relative: p }, true)));
}

export function worktreeEditsApprover(otherwise: Approver, log: (line: string) => void = () => undefined): Approver {
  return {
    async approve(request, signal) {
      if (request.kind === 'edit') {
        const files = request.changeSet.files.map((f) => f.path);
        if (request.policy.source !== 'builtin' && !touchesProtectedPath(files)) {
          log(`[edit applied in the worktree without asking: ${files.join(', ')}]`);
          return { approved: true };
        }
      }
      return otherwise.approve(request, signal);
    },
    askUser: (question, signal) => otherwise.askUser(question, signal),
  };
}
