// Reads one Claude-Code-shaped `settings.json` (`$TILLER_HOME/settings.json`, `.tiller/settings.json`,
// `.claude/settings.json`) once, for the two readers that need it: lifecycle hooks (agent/hooks/) and the
// `permissions` lists read as project rules (claude-permissions.ts). A problem is reported with the file and line and
// the rest of the file still loads; what each reader does with a broken part is its own (fail closed) decision.
import { readFileSync, statSync } from 'node:fs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** Larger settings files are refused: a hostile repository may point the name at /dev/zero or a huge file. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

export interface SettingsProblem {
  /** The path as shown to the user (workspace-relative for project files). */
  file: string;
  line?: number;
  message: string;
}

export interface SettingsFile {
  /** Absolute path on disk. */
  path: string;
  /** How messages name it. */
  shownAs: string;
  exists: boolean;
  /** The parsed value; undefined when absent or not valid JSON. */
  value: unknown;
  /** True when the file exists but is not a JSON object (nothing in it can be trusted to be read whole). */
  broken: boolean;
  problems: SettingsProblem[];
  /** 1-based line of the value at a JSON path, when it can be found. */
  lineOf(path: (string | number)[]): number | undefined;
  /** Where a problem at a JSON path is, for messages: `file:line`. */
  problem(path: (string | number)[], message: string): SettingsProblem;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

/** Parses settings text (strict JSON: comments and trailing commas are reported, as Claude Code reads it). */
export function parseSettingsText(text: string, path: string, shownAs: string): SettingsFile {
  const errors: ParseError[] = [];
  const clean = text.replace(/^\uFEFF/, '');
  const tree: Node | undefined = parseTree(clean, errors, { allowTrailingComma: false, disallowComments: true });
  const lineOf = (p: (string | number)[]) => {
    if (!tree) return undefined;
    const node = findNodeAtLocation(tree, p);
    return node ? lineAt(clean, node.parent?.type === 'property' ? node.parent.offset : node.offset) : undefined;
  };
  const problem = (p: (string | number)[], message: string): SettingsProblem => {
    const line = lineOf(p);
    return { file: shownAs, ...(line !== undefined ? { line } : {}), message };
  };
  const problems: SettingsProblem[] = errors.map((e) => ({
    file: shownAs,
    line: lineAt(clean, e.offset),
    message: `not valid JSON (${printParseErrorCode(e.error)})`,
  }));
  let value: unknown;
  let broken = problems.length > 0;
  if (!broken) {
    try {
      value = JSON.parse(clean);
    } catch (e) {
      broken = true;
      problems.push({ file: shownAs, message: `not valid JSON (${(e as Error).message})` });
    }
  }
  if (!broken && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    broken = true;
    problems.push({ file: shownAs, line: 1, message: 'expected a JSON object at the top level' });
    value = undefined;
  }
  return { path, shownAs, exists: true, value: broken ? undefined : value, broken, problems, lineOf, problem };
}

/** Reads a settings file from disk; a missing file is no settings and no problem. */
export function readSettingsFile(path: string, shownAs: string): SettingsFile {
  const absent: SettingsFile = {
    path,
    shownAs,
    exists: false,
    value: undefined,
    broken: false,
    problems: [],
    lineOf: () => undefined,
    problem: (_p, message) => ({ file: shownAs, message }),
  };
  let text: string;
  try {
    const info = statSync(path);
    if (!info.isFile() || info.size > MAX_SETTINGS_BYTES) {
      return {
        ...absent,
        exists: true,
        broken: true,
        problems: [{ file: shownAs, message: `not read: not a regular file under ${MAX_SETTINGS_BYTES} bytes` }],
      };
    }
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return absent;
    return { ...absent, exists: true, broken: true, problems: [{ file: shownAs, message: `cannot be read (${(e as Error).message})` }] };
  }
  return parseSettingsText(text, path, shownAs);
}

/** `file:line: message`, the one way a settings problem is printed. */
export function formatSettingsProblem(p: SettingsProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}
