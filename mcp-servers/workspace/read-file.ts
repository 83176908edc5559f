// read_file: raw text of a file or a line range, under a per-read cap. Truncation is announced with the exact
// range to ask for next, so the model can page through a large file.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { PathGuard } from '../common/path-guard.js';
import { readTextFile } from '../common/text-file.js';
import { errorResult, textResult } from '../common/tool-result.js';
import { splitLines } from '../common/diff.js';

export const READ_CAP_BYTES = 256 * 1024;

export interface ReadFileArgs {
  path: string;
  startLine?: number;
  endLine?: number;
}

export async function readFileTool(guard: PathGuard, args: ReadFileArgs): Promise<CallToolResult> {
  const target = await guard.resolve(args.path);
  const { text } = await readTextFile(target.abs, target.rel, undefined, () => guard.openRead(target));
  const lines = splitLines(text);
  const total = lines.length;
  const start = args.startLine ?? 1;
  const end = Math.min(args.endLine ?? total, total);
  if (args.endLine !== undefined && args.endLine < start) {
    return errorResult(`endLine (${args.endLine}) is before startLine (${start})`);
  }
  if (total > 0 && start > total) return errorResult(`startLine ${start} is past the end of ${target.rel} (${total} lines)`);

  let body = '';
  let lastIncluded = start - 1;
  let bytes = 0;
  for (let i = start; i <= end; i++) {
    const line = lines[i - 1]!;
    const size = Buffer.byteLength(line);
    // Always include at least one line, even a huge one (cut by characters), so paging makes progress.
    if (bytes + size > READ_CAP_BYTES) {
      if (i === start) {
        body = line.slice(0, READ_CAP_BYTES);
        lastIncluded = i;
      }
      break;
    }
    body += line;
    bytes += size;
    lastIncluded = i;
  }
  const truncated = lastIncluded < end;
  const range = total === 0 ? 'empty file' : `lines ${start}-${lastIncluded} of ${total}`;
  let header = `File: ${target.rel} (${range})`;
  if (truncated) {
    header += `; truncated at ${READ_CAP_BYTES / 1024} KiB: read the rest with startLine=${lastIncluded + 1}`;
  }
  return textResult(`${header}\n${body}`, {
    path: target.rel,
    startLine: start,
    endLine: lastIncluded,
    totalLines: total,
    truncated,
  });
}
