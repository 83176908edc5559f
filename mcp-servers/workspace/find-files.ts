// find_files: workspace-relative paths matching a glob. A pattern without a slash matches file names at any
// depth (`*.ts`), which is what people mean by it.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Minimatch } from 'minimatch';
import type { PathGuard } from '../common/path-guard.js';
import { walkTree } from '../../extension/core/context/index/tree-walk.js';
import { textResult } from '../common/tool-result.js';

export async function findFilesTool(guard: PathGuard, args: { pattern: string; maxResults?: number }): Promise<CallToolResult> {
  const max = args.maxResults ?? 200;
  const matcher = new Minimatch(args.pattern, { dot: true, matchBase: !args.pattern.includes('/') });
  const matches: string[] = [];
  let truncated = false;
  const outcome = await walkTree(guard.root, { budget: 100_000 }, (entry) => {
    if (entry.kind !== 'file') return;
    if (!matcher.match(entry.rel)) return;
    if (!guard.visible(entry.abs, false)) return; // left out without a word: a count would be an oracle
    if (matches.length >= max) {
      truncated = true;
      return false;
    }
    matches.push(entry.rel);
  });
  const notes: string[] = [];
  if (truncated) notes.push(`[stopped at ${max} results; narrow the pattern]`);
  if (outcome.exhausted) notes.push('[the workspace is large: the walk budget ran out before every file was checked]');
  const body = matches.length === 0 ? `No files match ${JSON.stringify(args.pattern)}` : matches.join('\n');
  return textResult([body, ...notes].join('\n'), { files: matches, truncated: truncated || outcome.exhausted });
}
