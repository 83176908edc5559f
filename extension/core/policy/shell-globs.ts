// Globs in arguments, expanded the way bash would before the decision: `cat .en?` reads `.env`. Each segment is
// matched against the real directory (bash's defaults: no dotglob, so `*` skips names starting with a dot, and
// `**` is `*`); the matches are then checked as paths in full. Because a file can appear between the decision and the
// run (`touch .env; cat .en?`), the last segment is also tried against well-known secret names: a glob that could
// name one is decided as if it did.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob, GlobError, matchName, type CompiledGlob } from './glob.js';
import { SECRET_PATTERNS } from './defaults.js';

export const MAX_GLOB_MATCHES = 200;

export type GlobExpansion = { ok: true; matches: string[] } | { ok: false; reason: string };

const GLOB_CHARS = /[*?[{]/;

function compileSegment(segment: string): CompiledGlob | string {
  try {
    return compileGlob(segment);
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}

function segmentMatches(glob: CompiledGlob, segment: string, name: string): boolean {
  // Without dotglob, a leading dot must be matched by a literal dot.
  if (name.startsWith('.') && !segment.startsWith('.')) return false;
  return matchName(glob, name);
}

/** The paths a glob names under `cwd` right now (relative patterns stay relative). */
export function expandGlob(pattern: string, cwd: string): GlobExpansion {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let current: string[] = [absolute ? '/' : ''];
  if (absolute) segments.shift();
  for (const segment of segments) {
    const next: string[] = [];
    if (!GLOB_CHARS.test(segment)) {
      for (const c of current) next.push(c === '' ? segment : path.posix.join(c, segment));
    } else {
      const glob = compileSegment(segment);
      if (typeof glob === 'string') return { ok: false, reason: `the glob \`${pattern}\` cannot be expanded here (${glob})` };
      for (const c of current) {
        let entries: string[];
        try {
          entries = fs.readdirSync(path.resolve(cwd, c === '' ? '.' : c));
        } catch {
          continue;
        }
        for (const e of entries) {
          if (segmentMatches(glob, segment, e)) next.push(c === '' ? e : path.posix.join(c, e));
          if (next.length > MAX_GLOB_MATCHES) return { ok: false, reason: `the glob \`${pattern}\` names more than ${MAX_GLOB_MATCHES} files` };
        }
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return { ok: true, matches: current.filter((c) => c !== '' && c !== '/') };
}

/** Names that stand for each default secret pattern's last segment: `.env.*` → `.env.local`, `*.pem` → `x.pem`. */
function probeNames(): string[] {
  const out = new Set<string>(['.env', '.env.local', 'id_rsa', 'id_ed25519', 'credentials', 'config']);
  for (const p of SECRET_PATTERNS) {
    const segments = p.split('/').filter((s) => s !== '**' && s !== '');
    for (const s of segments) {
      for (const alt of s.includes('{') ? expandBraces(s) : [s]) out.add(alt.replace(/[*?]/g, 'x'));
    }
  }
  return [...out].filter((n) => !GLOB_CHARS.test(n));
}

function expandBraces(s: string): string[] {
  const m = /^(.*)\{([^{}]*)\}(.*)$/.exec(s);
  if (!m) return [s];
  return m[2]!.split(',').flatMap((alt) => expandBraces(`${m[1]}${alt}${m[3]}`));
}

let probes: string[] | undefined;

/** Paths the glob could name if a secret with a well-known name existed in its directory. */
export function secretProbes(pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = slash < 0 ? '' : pattern.slice(0, slash + 1);
  const last = pattern.slice(slash + 1);
  if (GLOB_CHARS.test(dir) || !GLOB_CHARS.test(last)) return [];
  const glob = compileSegment(last);
  if (typeof glob === 'string') return [];
  probes ??= probeNames();
  return probes.filter((n) => segmentMatches(glob, last, n)).map((n) => `${dir}${n}`);
}
