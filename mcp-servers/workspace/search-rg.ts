// The ripgrep engine. The binary comes from TILLER_RG_PATH when that is set (a set-but-missing path means "no
// ripgrep", which tests use to force the JS engine), otherwise from PATH. Output is read as --json so file
// names containing ':' cannot confuse the parser.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { formatHitText, type SearchHit, type SearchOutcome, type SearchQuery } from './search-hit.js';
import { ALWAYS_SKIPPED_DIRS } from '../../extension/core/context/index/tree-walk.js';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findRipgrep(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.TILLER_RG_PATH;
  if (configured !== undefined && configured !== '') return isExecutable(configured) ? configured : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'rg');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

interface RgMatch {
  type: string;
  data?: { path?: { text?: string }; line_number?: number; lines?: { text?: string } };
}

export function searchWithRipgrep(rg: string, root: string, q: SearchQuery, visible: (rel: string) => boolean = () => true): Promise<SearchOutcome> {
  // The rules of the shared walk (core/context/index/tree-walk.ts), so both engines search the same files: every
  // .gitignore from the root down, in or out of a git repository, and nothing else (no global excludes, .ignore
  // files, .git/info/exclude or ignore files above the root); the always-skipped folders by name at any depth.
  const args = [
    '--json',
    '--sort',
    'path',
    '--hidden',
    '--max-filesize',
    '1M',
    '--no-require-git',
    '--no-ignore-global',
    '--no-ignore-exclude',
    '--no-ignore-dot',
    '--no-ignore-parent',
  ];
  for (const dir of ALWAYS_SKIPPED_DIRS) args.push('-g', `!${dir}`);
  args.push(q.caseSensitive ? '--case-sensitive' : '--ignore-case');
  if (!q.isRegex) args.push('--fixed-strings');
  if (q.glob !== undefined) args.push('-g', q.glob);
  args.push('-e', q.query, '.');
  return new Promise((resolve, reject) => {
    const child = spawn(rg, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const hits: SearchHit[] = [];
    const seen = new Map<string, boolean>();
    let truncated = false;
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (truncated) continue;
        let event: RgMatch;
        try {
          event = JSON.parse(line) as RgMatch;
        } catch {
          continue;
        }
        if (event.type !== 'match' || !event.data?.path?.text || event.data.line_number === undefined) continue;
        const path = event.data.path.text.replace(/^\.\//, '');
        if (!seen.has(path)) seen.set(path, visible(path));
        if (!seen.get(path)) continue; // a denied file's hits are dropped before they count

        if (hits.length >= q.maxResults) {
          truncated = true;
          child.kill();
          continue;
        }
        hits.push({
          path,
          line: event.data.line_number,
          text: formatHitText(event.data.lines?.text ?? ''),
        });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      // 0 = matches, 1 = no match; anything else is an error unless we stopped it ourselves.
      if (truncated || code === 0 || code === 1) resolve({ hits, truncated, engine: 'ripgrep' });
      else reject(new Error(`ripgrep failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
