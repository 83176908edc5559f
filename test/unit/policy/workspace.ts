// A throwaway workspace on disk for policy tests: a root with secrets, symlinks and a sibling that shares its prefix.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestWorkspace {
  base: string;
  root: string;
  evil: string;
  cleanup(): void;
}

export function makeWorkspace(): TestWorkspace {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-policy-')));
  const root = path.join(base, 'app');
  const evil = path.join(base, 'app_evil');
  const files: Record<string, string> = {
    'app/.env': 'SECRET=1\n',
    'app/src/a.ts': 'export const a = 1;\n',
    'app/sub/x.ts': 'x\n',
    'app/certs/server.pem': 'pem\n',
    'app/.git/config': '[core]\n',
    'app/.vscode/settings.json': '{}\n',
    'app/docs/private/plan.md': 'plan\n',
    'app_evil/secret.txt': 'outside\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(base, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  fs.symlinkSync(path.join(root, '.env'), path.join(root, 'src', 'link-env'));
  fs.symlinkSync(evil, path.join(root, 'out-link'));
  return { base, root, evil, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}
