// The one front-matter reader for the Markdown files teams already have (Claude Code's commands, agents and skills,
// VS Code's prompt files, agents and chat modes): a `---` line, YAML, a `---` line, then the body. YAML is parsed by
// the `yaml` library, so quoting, lists and block strings read as those tools read them. A file whose front matter
// does not parse is reported with its line and is not used; nothing in it is guessed at.
import { parseDocument } from 'yaml';

export type FrontMatterResult =
  | { ok: true; data: Record<string, unknown>; body: string; /** 1-based line of the file where the body starts. */ bodyLine: number }
  | { ok: false; message: string; /** 1-based line of the file the problem is on. */ line: number };

/** Files without front matter are all body; `data` is then empty. */
export function parseFrontMatter(text: string): FrontMatterResult {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!/^---[ \t]*\n/.test(normalized)) return { ok: true, data: {}, body: normalized, bodyLine: 1 };
  const lines = normalized.split('\n');
  const end = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l));
  if (end < 0) return { ok: false, message: 'front matter starts with --- but has no closing --- line', line: 1 };
  const yamlText = lines.slice(1, end).map(quoteTextField).join('\n');
  const body = lines.slice(end + 1).join('\n');
  const bodyLine = end + 2;
  if (!yamlText.trim()) return { ok: true, data: {}, body, bodyLine };
  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    // linePos is 1-based within the YAML text, which starts on the file's second line.
    const yamlLine = error.linePos?.[0]?.line ?? 1;
    return { ok: false, message: `front matter is not valid YAML: ${firstLine(error.message)}`, line: yamlLine + 1 };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 50 });
  if (value === null || value === undefined) return { ok: true, data: {}, body, bodyLine };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'front matter must be a mapping of keys to values', line: 2 };
  return { ok: true, data: value as Record<string, unknown>, body, bodyLine };
}

/**
 * One-line text fields are text as written: Claude Code's own examples write `argument-hint: [pr-number] [priority]`
 * and descriptions with a `: ` in them, which YAML would read as a list or reject. Quoted and block values are left
 * to YAML.
 */
const TEXT_FIELDS = /^(argument-hint|description)(\s*:\s*)(.*)$/;

function quoteTextField(line: string): string {
  const m = TEXT_FIELDS.exec(line);
  if (!m) return line;
  const value = m[3]!.trim();
  if (!value || /^["'|>]/.test(value)) return line;
  return `${m[1]}${m[2]}${JSON.stringify(value)}`;
}

/** The line of the front matter that sets `key` (for a problem with its value), or the opening line. */
export function keyLine(text: string, key: string): number {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const i = lines.findIndex((l, n) => n > 0 && new RegExp(`^${escaped}\\s*:`).test(l));
  return i < 0 ? 1 : i + 1;
}

/** The library's first line, without its own position (relative to the YAML, not the file: the caller says the line). */
function firstLine(s: string): string {
  return s
    .split('\n')[0]!
    .trim()
    .replace(/\s+at line \d+, column \d+:?$/, '');
}
