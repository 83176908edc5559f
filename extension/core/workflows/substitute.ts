// A command's arguments put into its prompt, as Claude Code and VS Code do: `$ARGUMENTS` is everything after the
// name, `$1`..`$9` the words (quotes group), `${input:name}` / `${input:name:placeholder}` a named value (VS Code
// asks for it; the CLI takes `--input name=value`). One pass, so a value that itself holds `$1` stays as typed.

const PLACEHOLDER = /\$ARGUMENTS\b|\$([1-9])(?![0-9])|\$\{input:([A-Za-z0-9_-]+)(?::([^}]*))?\}/g;

export interface InputRequest {
  name: string;
  placeholder?: string;
}

/** The `${input:...}` variables a prompt uses, each once, in order. */
export function inputsUsed(body: string): InputRequest[] {
  const seen = new Map<string, InputRequest>();
  for (const m of body.matchAll(PLACEHOLDER)) {
    const name = m[2];
    if (name && !seen.has(name)) seen.set(name, { name, ...(m[3] ? { placeholder: m[3] } : {}) });
  }
  return [...seen.values()];
}

export type Substituted = { ok: true; text: string } | { ok: false; missing: InputRequest[] };

export function substitute(body: string, args: string, inputs: Readonly<Record<string, string>> = {}): Substituted {
  const missing = inputsUsed(body).filter((i) => inputs[i.name] === undefined);
  if (missing.length) return { ok: false, missing };
  const words = splitArguments(args);
  let usesArguments = false;
  const text = body.replace(PLACEHOLDER, (whole, n: string | undefined, input: string | undefined) => {
    if (input) return inputs[input]!;
    usesArguments = true;
    if (n) return words[Number(n) - 1] ?? '';
    return args;
  });
  // Claude Code's rule: a command that does not place its arguments gets them appended, so nothing typed is lost.
  if (!usesArguments && args.trim()) return { ok: true, text: `${text}\n\nARGUMENTS: ${args.trim()}` };
  return { ok: true, text };
}

/** Words as a shell would group them for `$1`..`$9`: quotes keep spaces, and are removed. */
export function splitArguments(args: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of args.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''));
  return words;
}
