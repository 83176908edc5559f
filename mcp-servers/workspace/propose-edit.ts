// propose_edit: validates an edit and returns it as a ChangeSet with a diff. It never writes: applying is the
// host's decision, after policy and approval.
import { createHash, randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChangeSet, FileChange } from '../../extension/core/edits/types.js';
import type { PathGuard } from '../common/path-guard.js';
import { readTextFile } from '../common/text-file.js';
import { unifiedDiff } from '../common/diff.js';
import { errorResult, textResult } from '../common/tool-result.js';
import { computeEdit, type EditRequest } from './edit-compute.js';

export interface FileEditArgs {
  path: string;
  edits?: { search: string; replace: string }[];
  content?: string;
}

export interface ProposeEditArgs extends FileEditArgs {
  /** Further files that belong to the same change: reviewed and applied together with the first, all or nothing. */
  also?: FileEditArgs[];
  description?: string;
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** One file's part of the change set, or the reason it cannot be proposed. */
async function fileChange(guard: PathGuard, args: FileEditArgs): Promise<{ change: FileChange; created: boolean } | { error: string }> {
  if ((args.edits === undefined) === (args.content === undefined)) {
    return { error: `${args.path}: give exactly one of "edits" (search/replace on an existing file) or "content" (the whole new file)` };
  }
  const target = await guard.resolve(args.path);
  if (target.rel === '.' || target.rel.split('/').includes('.git')) return { error: `${args.path} is not an editable file path` };
  const current = target.exists ? await readTextFile(target.abs, target.rel, undefined, () => guard.openRead(target)) : undefined;
  const request: EditRequest = args.edits !== undefined ? { kind: 'replace', edits: args.edits } : { kind: 'write', content: args.content! };
  const newContent = computeEdit(target.rel, current?.text ?? null, request);
  if (current !== undefined && newContent === current.text) return { error: `the edit leaves ${target.rel} unchanged` };
  return {
    created: current === undefined,
    change: {
      path: target.rel,
      baseHash: current === undefined ? null : createHash('sha256').update(current.bytes).digest('hex'),
      newContent,
      diff: unifiedDiff(target.rel, current === undefined ? null : stripBom(current.text), stripBom(newContent)),
    },
  };
}

export async function proposeEditTool(guard: PathGuard, args: ProposeEditArgs): Promise<CallToolResult> {
  const files: FileChange[] = [];
  const verbs: string[] = [];
  for (const spec of [args, ...(args.also ?? [])]) {
    const result = await fileChange(guard, spec);
    if ('error' in result) return errorResult(result.error);
    if (files.some((f) => f.path === result.change.path))
      return errorResult(`${result.change.path} appears twice in one change; put all its edits in one entry`);
    files.push(result.change);
    verbs.push(`${result.created ? 'create' : 'change'} ${result.change.path}`);
  }
  const changeSet: ChangeSet = { id: randomUUID(), files, ...(args.description !== undefined ? { description: args.description } : {}) };
  const summary = `Proposed: ${verbs.join(', ')} (not applied; it needs approval)${args.description ? `: ${args.description}` : ''}\n${files.map((f) => f.diff).join('\n')}`;
  return textResult(summary, { changeSet });
}
