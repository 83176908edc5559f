// What checks a task runs, and when: the project's `.tiller/checks.json`, the user's `tiller.checks` setting, and the
// CLI's `--check CMD`. Each entry names a command and when it runs (`after`: a change set was applied, or the agent is
// about to declare the task done). A file that does not fit the schema is reported with the file and the field, and
// none of its checks run; the rest of Tiller loads as usual.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const CHECKS_FILE = join('.tiller', 'checks.json');

/** When a check runs: after each applied change set, or before the agent may end the task as done. */
export const CHECK_MOMENTS = ['edit', 'done'] as const;
export type CheckMoment = (typeof CHECK_MOMENTS)[number];

/** A deadline nobody chose: long enough for a test suite, short enough that a hang does not eat the task. */
export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;
/** A longer deadline is a mistake, not a check: ten minutes. */
export const MAX_CHECK_TIMEOUT_MS = 600_000;

const checkEntry = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(60, 'must be at most 60 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:/-]*$/, 'must start with a letter or digit, then letters, digits, spaces, . _ : / or -')
    .describe('What the transcript and the model call the check, e.g. "test" or "typecheck".'),
  command: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(4000, 'must be at most 4000 characters')
    .describe('A shell command line, run in the workspace folder inside the sandbox.'),
  after: z
    .array(z.enum(CHECK_MOMENTS))
    .min(1, 'must name at least one of "edit", "done"')
    .describe('When it runs: "edit" after every applied change, "done" before the agent may end the task as done.'),
  timeoutMs: z
    .number()
    .int('must be a whole number')
    .min(100, 'must be at least 100')
    .max(MAX_CHECK_TIMEOUT_MS, `must be at most ${MAX_CHECK_TIMEOUT_MS}`)
    .optional()
    .describe('Deadline in milliseconds (default 120000); a check past it is killed and reported as timed out.'),
});

export const checksFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    checks: z.array(checkEntry).describe("The project's fast checks: each a name, a command and when it runs."),
  })
  .describe('Tiller project checks (.tiller/checks.json).');

/** The same entries as a settings value (`tiller.checks`): a list without the wrapping object. */
export const checkListSchema = z.array(checkEntry);

export type CheckEntry = z.infer<typeof checkEntry>;

/** Who configured a check: the user's own (flag, setting) run without asking; the project's ask like any command. */
export type CheckSource = 'user' | 'project';

export interface CheckSpec {
  name: string;
  command: string;
  after: CheckMoment[];
  timeoutMs: number;
  source: CheckSource;
  /** Where it was configured, for messages: `--check`, `tiller.checks`, `.tiller/checks.json`. */
  origin: string;
}

export interface LoadedChecks {
  checks: CheckSpec[];
  /** One sentence per problem, naming the file and the field. */
  errors: string[];
}

/** The JSON schema written to schemas/checks.schema.json (editor validation through package.json `jsonValidation`). */
export function checksJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(checksFileSchema) as Record<string, unknown>;
}

function describeIssues(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length
      ? issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
          .join('')
          .replace(/^\./, '')
      : '(the whole value)';
    return `${where}: ${field}: ${issue.message}`;
  });
}

function toSpecs(entries: CheckEntry[], source: CheckSource, origin: string): CheckSpec[] {
  return entries.map((e) => ({
    name: e.name,
    command: e.command,
    after: [...new Set(e.after)],
    timeoutMs: e.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    source,
    origin,
  }));
}

/** Two checks of one name would be indistinguishable in the digest and the transcript. */
function duplicateNames(specs: CheckSpec[], where: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of specs) {
    if (seen.has(s.name)) out.push(`${where}: two checks are named "${s.name}"; names must be unique`);
    seen.add(s.name);
  }
  return out;
}

/** Parses the text of a checks file; `file` names it in messages. Any error: no check of the file is used. */
export function parseChecksFile(text: string, file: string): LoadedChecks {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { checks: [], errors: [`${file}: not valid JSON (${(e as Error).message}); its checks do not run`] };
  }
  const parsed = checksFileSchema.safeParse(json);
  if (!parsed.success) return { checks: [], errors: describeIssues(parsed.error, file).map((m) => `${m}; its checks do not run`) };
  const checks = toSpecs(parsed.data.checks, 'project', CHECKS_FILE);
  const dup = duplicateNames(checks, file);
  return dup.length ? { checks: [], errors: dup.map((m) => `${m}; its checks do not run`) } : { checks, errors: [] };
}

/** The project's checks, read from the workspace folder; no file means no checks. */
export function loadProjectChecks(root: string): LoadedChecks {
  const file = join(root, CHECKS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { checks: [], errors: [] };
    return { checks: [], errors: [`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); its checks do not run`] };
  }
  return parseChecksFile(text, file);
}

/** The user's `tiller.checks` setting (or any list in the same shape); `where` names it in messages. */
export function parseUserChecks(value: unknown, where: string): LoadedChecks {
  if (value === undefined || value === null) return { checks: [], errors: [] };
  const parsed = checkListSchema.safeParse(value);
  if (!parsed.success) return { checks: [], errors: describeIssues(parsed.error, where).map((m) => `${m}; these checks do not run`) };
  const checks = toSpecs(parsed.data, 'user', where);
  const dup = duplicateNames(checks, where);
  return dup.length ? { checks: [], errors: dup } : { checks, errors: [] };
}

/**
 * A check from the command line (`--check "npm test"`): the user's own, after edits and before done, named after its
 * command (`npm test` -> `npm test`, `npx tsc --noEmit -p .` -> `tsc --noEmit -p .`), cut to the name's limit.
 */
export function checkFromCommand(command: string, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): CheckSpec {
  const trimmed = command.trim();
  if (!trimmed) throw new Error('a check command must not be empty');
  return { name: nameFromCommand(trimmed), command: trimmed, after: ['edit', 'done'], timeoutMs, source: 'user', origin: '--check' };
}

const LAUNCHERS = new Set(['npx', 'bunx', 'env']);

export function nameFromCommand(command: string): string {
  const words = command.split(/\s+/).filter(Boolean);
  // `npx tsc`, `env X=1 jest`: the launcher says less than the program.
  while (words.length > 1 && (LAUNCHERS.has(words[0]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!))) words.shift();
  const name = words
    .join(' ')
    .replace(/^\.\//, '')
    .replace(/[^A-Za-z0-9 ._:/-]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .trim();
  return /^[A-Za-z0-9]/.test(name) ? name : `check ${name}`.slice(0, 60).trim();
}

/** Every check in force, each name once: user checks first (they are the user's own), then the project's. */
export function mergeChecks(...lists: CheckSpec[][]): LoadedChecks {
  const out: CheckSpec[] = [];
  const errors: string[] = [];
  void errors;
  const names = new Set<string>();
  for (const list of lists) {
    for (const c of list) {
      let name = c.name;
      for (let i = 2; names.has(name); i++) name = `${c.name} (${i})`;
      names.add(name);
      out.push({ ...c, name });
    }
  }
  return { checks: out, errors };
}
