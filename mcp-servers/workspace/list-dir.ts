// list_dir: a directory's entries (optionally a few levels deep), directories marked with a trailing slash.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stat } from 'node:fs/promises';
import type { PathGuard } from '../common/path-guard.js';
import { walkTree } from '../../extension/core/context/index/tree-walk.js';
import { errorResult, textResult } from '../common/tool-result.js';

export const LIST_DIR_CAP = 1000;

export async function listDirTool(guard: PathGuard, args: { path?: string; depth?: number }): Promise<CallToolResult> {
  const target = await guard.resolve(args.path ?? '.');
  if (!target.exists) return errorResult(`${target.rel} does not exist`);
  if (!(await stat(target.abs)).isDirectory()) return errorResult(`${target.rel} is not a directory; use read_file`);
  // The folder itself may be denied (`.ssh`, `.aws`): then nothing in it is listed, as if the gate had refused.
  if (!guard.visible(target.abs, true)) return errorResult(`Denied by the permission rules: ${target.rel} may not be read`);
  const entries: string[] = [];
  let truncated = false;
  const outcome = await walkTree(guard.root, { start: target.rel, maxDepth: args.depth ?? 1, budget: 20_000 }, (entry) => {
    // A denied entry is not listed, and nothing says one was left out (a count would be an oracle).
    if (!guard.visible(entry.abs, entry.kind === 'dir')) return;
    if (entries.length >= LIST_DIR_CAP) {
      truncated = true;
      return false;
    }
    entries.push(entry.kind === 'dir' ? `${entry.rel}/` : entry.rel);
  });
  truncated ||= outcome.exhausted;
  const note = truncated ? `\n[listing capped at ${entries.length} entries; list a subdirectory or lower depth]` : '';
  const text = `Directory: ${target.rel}\n${entries.join('\n')}${entries.length === 0 ? '(empty)' : ''}${note}`;
  return textResult(text, { path: target.rel, entries, truncated });
}
