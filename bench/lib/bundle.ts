// Instance trees from a git bundle: cloned bare once, each tag `bench/<id>` exported with `git archive | tar -x`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class BundleTrees {
  private readonly gitDir: string;
  private readonly scratch: string;

  constructor(bundle: string) {
    this.scratch = mkdtempSync(join(tmpdir(), 'tiller-bench-'));
    this.gitDir = join(this.scratch, 'bundle.git');
    execFileSync('git', ['clone', '--quiet', '--bare', bundle, this.gitDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  /** Extracts one instance's tree into a fresh directory and returns its path. */
  checkout(id: string): string {
    const dir = join(this.scratch, 'trees', id.replace(/[^\w.-]/g, '_'));
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['--git-dir', this.gitDir, 'archive', '--format=tar', `bench/${id}`], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive, maxBuffer: 1 << 30 });
    return dir;
  }

  remove(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
