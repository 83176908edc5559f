// A scratch world for the sandbox's effect tests: a home directory with credentials, a git workspace with `.env`,
// a hard link and a symlink to it, a file beside the workspace, and a loopback listener that hands out a canary to
// whoever connects. Every canary is unique, so finding one in what the model was sent proves a leak.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { detectSandbox } from '../../../extension/core/sandbox/mechanism.js';

export interface SandboxWorld {
  base: string;
  home: string;
  ws: string;
  tillerHome: string;
  beside: string;
  canaries: { env: string; aws: string; beside: string; loopback: string };
  port: number;
  connections(): number;
  gitConfig: string;
  close(): Promise<void>;
}

/** Why the sandbox tests cannot run here, or undefined when they can. */
export function sandboxSkipReason(): string | undefined {
  const a = detectSandbox();
  return a.available ? undefined : `no sandbox on this machine (${a.missing}); ${a.howToGet}`;
}

export async function sandboxWorld(): Promise<SandboxWorld> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tiller-sbx-world-')));
  const c = () => `CANARY-${randomBytes(8).toString('hex')}`;
  const canaries = { env: c(), aws: c(), beside: c(), loopback: c() };
  const home = join(base, 'home');
  const ws = join(base, 'ws');
  const tillerHome = join(base, 'tiller-home');
  mkdirSync(join(home, '.aws'), { recursive: true });
  mkdirSync(tillerHome);
  writeFileSync(join(home, '.aws', 'credentials'), `[default]\naws_secret_access_key = ${canaries.aws}\n`);
  mkdirSync(ws);
  execFileSync('git', ['init', '-q', ws]);
  writeFileSync(join(ws, '.env'), `API_KEY=${canaries.env}\n`);
  linkSync(join(ws, '.env'), join(ws, 'notes.txt'));
  symlinkSync('.env', join(ws, 'config.txt'));
  writeFileSync(join(ws, 'README.md'), '# demo\n');
  const beside = join(base, 'beside.txt');
  writeFileSync(beside, `${canaries.beside}\n`);
  let connections = 0;
  const listener: Server = createServer((s) => {
    connections++;
    s.end(`${canaries.loopback}\n`);
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const port = (listener.address() as { port: number }).port;
  return {
    base,
    home,
    ws,
    tillerHome,
    beside,
    canaries,
    port,
    connections: () => connections,
    gitConfig: join(ws, '.git', 'config'),
    close: () => new Promise<void>((r) => listener.close(() => r())),
  };
}

/** Rules that ALLOW the interpreters outright: only the sandbox stands between them and the secrets. */
export function allowInterpreters(tillerHome: string): void {
  writeFileSync(
    join(tillerHome, 'permissions.json'),
    JSON.stringify({ allow: ['shell(python3 *)', 'shell(node *)', 'shell(perl *)', 'shell(sh *)', 'shell(git *)'] }),
  );
}
