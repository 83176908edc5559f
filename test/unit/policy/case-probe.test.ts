// Issue 12, class 9: case-insensitive file systems (WSL /mnt/c, exFAT, SMB) are detected per directory by probing an
// existing name with its case changed, and rules match without case there. No case-insensitive mount can be made on
// this machine (the kernel has no vfat, and ext4 casefold is refused for loop devices), so the probe runs on an
// injected file system that behaves like one; the real-disk case is checked on the case-sensitive temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectCaseInsensitive, type CaseProbeFs } from '../../../extension/core/policy/paths.js';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';

/** A folder whose entries answer to any spelling, as FAT or NTFS do. */
function foldingFs(dir: string, names: string[], nocase: boolean): CaseProbeFs & { looked: string[] } {
  const looked: string[] = [];
  const inode = (p: string) => {
    const base = path.basename(p);
    const hit = names.findIndex((n) => (nocase ? n.toLowerCase() === base.toLowerCase() : n === base));
    if (path.dirname(p) !== dir || hit < 0) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return { dev: 7, ino: 100 + hit };
  };
  return { looked, readdir: (d) => (d === dir ? names : []), stat: (p) => (looked.push(p), inode(p)) };
}

test('a folder whose entries answer to a swapped spelling is case-insensitive; the probe is an existing name', () => {
  const mnt = '/mnt/c/Users/dev/app';
  const fsx = foldingFs(mnt, ['src', 'README.md'], true);
  assert.equal(detectCaseInsensitive(mnt, fsx), true);
  assert.deepEqual(fsx.looked, [`${mnt}/src`, `${mnt}/SRC`], 'it probes an entry of the folder, not the whole path swapped');
});

test('a folder where the swapped spelling is missing, or is another file, is case-sensitive', () => {
  assert.equal(detectCaseInsensitive('/w', foldingFs('/w', ['src'], false)), false);
  assert.equal(detectCaseInsensitive('/w', foldingFs('/w', ['Makefile', 'makefile'], false)), false);
});

test('names without letters are skipped; an empty folder is probed by its own name in its parent', () => {
  const fsx: CaseProbeFs = {
    readdir: (d) => (d === '/m/Data' ? ['123', '-_-'] : ['Data']),
    stat: (p) => {
      if (p === '/m/123' || p === '/m/Data/123' || p === '/m/Data/-_-') return { dev: 1, ino: 5 };
      if (p === '/m/Data' || p === '/m/dATA') return { dev: 1, ino: 9 };
      throw new Error('ENOENT');
    },
  };
  assert.equal(detectCaseInsensitive('/m/Data', fsx), true);
});

test('the real temp folder on this machine is case-sensitive, and the old whole-path swap bug is gone', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-case-')));
  fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
  assert.equal(detectCaseInsensitive(dir), process.platform === 'darwin' || process.platform === 'win32');
});

test('where the file system ignores case, `.ENV` and `Secrets/.Env` are denied by the .env rule', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-case-')));
  const engine = createPolicyEngine({ workspaceRoots: [dir], caseInsensitive: true });
  for (const p of ['.ENV', 'Secrets/.Env', 'id_RSA']) {
    const d = engine.decide({ kind: 'read', path: p });
    assert.equal(d.decision, 'deny', p);
    assert.match(d.rule, /^deny read\(\*\*\/(\.env|id_rsa\*)\)$/);
  }
  const sensitive = createPolicyEngine({ workspaceRoots: [dir], caseInsensitive: false });
  assert.equal(sensitive.decide({ kind: 'read', path: 'README.ENV.md' }).decision, 'allow');
});
