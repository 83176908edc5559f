// propose_edit: validates an edit and returns it as a ChangeSet with a diff. It never writes: applying is the
// host's decision, after policy and approval.
import { createHash, randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChangeSet } from '../../extension/core/edits/types.js';
import type { PathGuard } from '../common/path-guard.js';
import { readTextFile } from '../common/text-file.js';
import { unifiedDiff } from '../common/diff.js';
import { errorResult, textResult } from '../common/tool-result.js';
import { computeEdit, type EditRequest } from './edit-compute.js';

export interface ProposeEditArgs {
  path: string;
  edits?: { search: string; replace: string }[];
  content?: string;
  description?: string;
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

export async function proposeEditTool(guard: PathGuard, args: ProposeEditArgs): Promise<CallToolResult> {
  if ((args.edits === undefined) === (args.content === undefined)) {
    return errorResult('give exactly one of "edits" (search/replace on an existing file) or "content" (the whole new file)');
  }
  const target = await guard.resolve(args.path);
  if (target.rel === '.' || target.rel.split('/').includes('.git')) {
    return errorResult(`${args.path} is not an editable file path`);
  }
  const current = target.exists ? await readTextFile(target.abs, target.rel) : undefined;
  const request: EditRequest = args.edits !== undefined ? { kind: 'replace', edits: args.edits } : { kind: 'write', content: args.content! };
  const newContent = computeEdit(target.rel, current?.text ?? null, request);
  if (current !== undefined && newContent === current.text) return errorResult(`the edit leaves ${target.rel} unchanged`);

  const diff = unifiedDiff(target.rel, current === undefined ? null : stripBom(current.text), stripBom(newContent));
  const changeSet: ChangeSet = {
    id: randomUUID(),
    files: [
      {
        path: target.rel,
        baseHash: current === undefined ? null : createHash('sha256').update(current.bytes).digest('hex'),
        newContent,
        diff,
      },
    ],
    ...(args.description !== undefined ? { description: args.description } : {}),
  };
  const verb = current === undefined ? 'create' : 'change';
  const summary = `Proposed ${verb} to ${target.rel} (not applied; it needs approval)${args.description ? `: ${args.description}` : ''}\n${diff}`;
  return textResult(summary, { changeSet });
}
