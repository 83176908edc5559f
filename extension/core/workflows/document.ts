// One workflow file (a command, an agent, a skill) read and its front matter parsed: the part the three kinds share
// before each reads its own fields. A file that cannot be used becomes a problem naming it, and the caller skips it.
import { parseFrontMatter } from './front-matter.js';
import { readWorkflowFile, type WorkflowProblem } from './files.js';
import type { FieldContext } from './fields.js';

export type WorkflowKind = 'command' | 'agent' | 'skill';

export interface WorkflowDocument {
  /** The front-matter fields, ready for fields.ts. */
  ctx: FieldContext;
  /** The text after the front matter, untrimmed. */
  body: string;
  /** 1-based line where the body starts, for problems about it. */
  bodyLine: number;
}

/**
 * Reads `path` (confined to `base`) and parses its front matter; undefined when it does not exist, or when it was
 * refused or malformed (then a problem says so, naming the kind that was not loaded).
 */
export function readWorkflowDocument(base: string, path: string, kind: WorkflowKind, problems: WorkflowProblem[]): WorkflowDocument | undefined {
  const read = readWorkflowFile(base, path);
  if (!read) return undefined;
  if ('problem' in read) {
    problems.push(read.problem);
    return undefined;
  }
  const parsed = parseFrontMatter(read.text);
  if (!parsed.ok) {
    problems.push({ file: path, line: parsed.line, message: `${parsed.message}; the ${kind} is not loaded`, severity: 'error' });
    return undefined;
  }
  return { ctx: { file: path, text: read.text, data: parsed.data, problems }, body: parsed.body, bodyLine: parsed.bodyLine };
}
