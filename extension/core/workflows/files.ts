// Reading the workflow files (commands, agents, skills) from one base folder: a project folder inside the workspace
// or the user's folder under $TILLER_HOME. What is read is sent to the model provider, so a file that links out of
// its base (to a key, say), a binary file or a huge one is refused with a problem rather than read.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** A workflow file that could not be used, or a choice the user should know about (a shadowed command). */
export interface WorkflowProblem {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line, when the problem is on one. */
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Larger files are not read: a command or an agent prompt this long is not one anybody reviewed. */
export const MAX_WORKFLOW_BYTES = 64 * 1024;
const MAX_FILES_PER_FOLDER = 500;
const MAX_DEPTH = 4;

/** Files under `dir` (relative paths with `/`), recursively when asked, whose name passes `keep`; none when it is absent. */
export function listFiles(dir: string, keep: (name: string) => boolean, recursive: boolean): string[] {
  const out: string[] = [];
  const walk = (sub: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_FILES_PER_FOLDER) return;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory() && recursive && depth < MAX_DEPTH && !e.name.startsWith('.')) walk(rel, depth + 1);
      else if ((e.isFile() || e.isSymbolicLink()) && keep(e.name)) out.push(rel);
    }
  };
  walk('', 0);
  return out;
}

/** Sub-folders of `dir` (names), for skills; none when it is absent. */
export function listFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort()
      .slice(0, MAX_FILES_PER_FOLDER);
  } catch {
    return [];
  }
}

/** The file's text, or a problem saying why it is not used; undefined when it does not exist (nothing to report). */
export function readWorkflowFile(base: string, abs: string): { text: string } | { problem: WorkflowProblem } | undefined {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return undefined;
  }
  const problem = (message: string) => ({ problem: { file: abs, message, severity: 'error' as const } });
  if (!isInside(realBase(base), real)) return problem('links outside its folder; not used');
  let size: number;
  try {
    const info = statSync(real);
    if (!info.isFile()) return undefined;
    size = info.size;
  } catch {
    return undefined;
  }
  if (size > MAX_WORKFLOW_BYTES) return problem(`is ${size} bytes, over the ${MAX_WORKFLOW_BYTES}-byte limit; not used`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(real);
  } catch (err) {
    return problem(`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (bytes.includes(0)) return problem('is binary; not used');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return problem('is not UTF-8 text; not used');
  }
}

export function isInside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function realBase(base: string): string {
  try {
    return realpathSync(base);
  } catch {
    return base;
  }
}
