// Mention sources backed by the file system and git, for the CLI (and as the VS Code side's fallback). Paths come from
// the task text, so they are treated as hostile: they must resolve (after following links) inside the workspace.
import { execFile } from 'node:child_process';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { MentionResult, MentionSources } from '../ports.js';
import type { SymbolInfo } from '../index/types.js';

export interface FsMentionOptions {
  /** Larger files are refused with a reason. Default 256 KiB. */
  maxFileBytes?: number;
  /** `git diff` is killed after this long. Default 5000 ms. */
  gitTimeoutMs?: number;
  /** Entries listed for a folder. Default 200. */
  maxFolderEntries?: number;
  /** Symbol lookup from the workspace index; without it `@symbol:` mentions are refused with a reason. */
  lookupSymbol?: (name: string) => SymbolInfo[];
}

/** Lines of one symbol's definition put in the prompt at most; longer definitions are cut. */
const MAX_SYMBOL_LINES = 200;

export function createFsMentionSources(root: string, options: FsMentionOptions = {}): MentionSources {
  const maxBytes = options.maxFileBytes ?? 256 * 1024;
  const gitTimeoutMs = options.gitTimeoutMs ?? 5000;
  const maxEntries = options.maxFolderEntries ?? 200;
  const unavailable = (what: string) => async (): Promise<MentionResult> => `${what} is not available in this host`;

  async function inside(path: string): Promise<{ abs: string; rel: string } | string> {
    if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) return `${path} is outside the workspace`;
    let abs: string;
    let realRoot: string;
    try {
      realRoot = await realpath(root);
      abs = await realpath(resolve(realRoot, path));
    } catch {
      return `${path} was not found in the workspace`;
    }
    const rel = relative(realRoot, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) return `${path} resolves outside the workspace`;
    return { abs, rel: rel.split(sep).join('/') || '.' };
  }

  return {
    async file(path) {
      const where = await inside(path);
      if (typeof where === 'string') return where;
      const info = await stat(where.abs);
      if (!info.isFile()) return `${path} is not a file`;
      if (info.size > maxBytes) return `${path} is too large to attach (${info.size} bytes; limit ${maxBytes})`;
      const bytes = await readFile(where.abs);
      if (bytes.includes(0)) return `${path} is a binary file`;
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      return { text: `File ${where.rel}:\n${text}`, reason: 'mentioned in the task' };
    },
    async folder(path) {
      const where = await inside(path);
      if (typeof where === 'string') return where;
      const info = await stat(where.abs);
      if (!info.isDirectory()) return `${path} is not a folder`;
      const entries = (await readdir(where.abs, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      const lines = entries.slice(0, maxEntries).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
      if (entries.length > maxEntries) lines.push(`... and ${entries.length - maxEntries} more`);
      return { text: `Folder ${where.rel}/:\n${lines.join('\n')}`, reason: 'folder mentioned in the task' };
    },
    async gitDiff() {
      return new Promise<MentionResult>((done) => {
        execFile(
          'git',
          ['--no-pager', 'diff', '--no-color', '--no-ext-diff', 'HEAD'],
          { cwd: root, timeout: gitTimeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
          (err, stdout) => {
            if (err) {
              const killed = (err as { killed?: boolean }).killed;
              done(killed ? `git diff did not finish within ${gitTimeoutMs} ms` : `git diff failed: ${err.message.split('\n')[0]}`);
              return;
            }
            done({
              text: stdout.trim() ? `Uncommitted changes (git diff HEAD):\n${stdout}` : 'There are no uncommitted changes.',
              reason: 'the working tree diff was mentioned',
            });
          },
        );
      });
    },
    async symbol(name) {
      if (!options.lookupSymbol) return `symbol lookup for ${name} needs the workspace index, which this host does not provide`;
      const found = options.lookupSymbol(name).slice(0, 3);
      if (found.length === 0) return `no symbol named ${name} was found in the workspace index`;
      const parts: string[] = [];
      for (const s of found) {
        const where = await inside(s.path);
        if (typeof where === 'string') continue;
        const lines = (await readFile(where.abs, 'utf8')).split('\n');
        const end = Math.min(s.endLine, s.line + MAX_SYMBOL_LINES - 1);
        parts.push(`${s.kind} ${s.name} in ${where.rel}, lines ${s.line}-${end}:\n${lines.slice(s.line - 1, end).join('\n')}`);
      }
      if (parts.length === 0) return `${name} was found only outside the workspace`;
      return { text: parts.join('\n\n'), reason: `symbol mentioned in the task (${found.length} definition${found.length > 1 ? 's' : ''})` };
    },
    problems: unavailable('the problems list'),
    terminal: unavailable('terminal output'),
    mcpResource: async (server, uri) => `MCP resource ${uri} from ${server} is not available in this host`,
  };
}
