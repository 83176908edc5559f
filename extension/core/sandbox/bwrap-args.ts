// The bubblewrap command line for one run, from a mount plan. Pure, so the order of mounts (which decides what wins)
// is tested without running anything. Later mounts cover earlier ones:
//   system dirs read-only → private /tmp → empty home → toolchain dirs → workspace (writable) → protected paths
//   read-only → hidden paths covered by unreadable placeholders → home made read-only.
// Namespaces: all of them (network included: no interface but an isolated loopback), capabilities dropped so that
// root inside cannot read a 000 placeholder, a new session (no TIOCSTI on the caller's terminal), and the sandbox
// dies with its parent; its own pid namespace means every process in it dies when the command's shell exits.
import type { MountPlan } from './mount-plan.js';

export interface BwrapInputs {
  plan: MountPlan;
  /** Host directory bound at /tmp: the only writable place outside the workspace. */
  privateTmp: string;
  /** An empty file and an empty directory, mode 000: what a hidden path becomes. */
  hiddenFile: string;
  hiddenDir: string;
  /** An empty read-only file and directory: the placeholder for an absent protected path. */
  emptyFile: string;
  emptyDir: string;
  /** Symlinked system dirs (`/bin` → `usr/bin` on merged-/usr systems), recreated as symlinks. */
  symlinks: Record<string, string>;
  cwd: string;
  /** Shared scratch directories under a system directory (`/var/tmp`) that exist here: each gets an empty tmpfs. */
  sharedScratch?: string[];
  /** Host directory with the proxy's socket, bound at SANDBOX_NET_DIR; absent when the network is off. */
  netDir?: string;
  /** The program and its arguments inside the sandbox. */
  argv: string[];
}

export const SANDBOX_NET_DIR = '/run/tiller-net';

export function bwrapArgs(i: BwrapInputs): string[] {
  const { plan } = i;
  const home = plan.profile.home;
  const a: string[] = ['--die-with-parent', '--new-session', '--unshare-all', '--cap-drop', 'ALL', '--dev', '/dev', '--proc', '/proc'];
  for (const dir of plan.systemDirs) {
    const link = i.symlinks[dir];
    if (link !== undefined) a.push('--symlink', link, dir);
    else a.push('--ro-bind', dir, dir);
  }
  a.push('--bind', i.privateTmp, '/tmp');
  // /var is a system directory, but /var/tmp is the host's shared scratch space (other programs' files, not ours):
  // an empty one for the run.
  for (const dir of i.sharedScratch ?? []) a.push('--tmpfs', dir);
  // A home directory under a system directory, or inside (or equal to) a workspace root, is already decided by that.
  const under = (dirs: readonly string[]) => dirs.some((d) => home === d || home.startsWith(`${d}/`));
  const homeUnderSystem = under(plan.systemDirs) || under(plan.profile.workspaceRoots);
  if (!homeUnderSystem) a.push('--tmpfs', home);
  for (const dir of plan.allowDirs) a.push('--bind', dir, dir);
  for (const p of plan.readPaths) a.push('--ro-bind', p, p);
  for (const root of plan.profile.workspaceRoots) a.push('--bind', root, root);
  for (const dir of pinnedAncestors(plan)) a.push('--bind', dir, dir);
  for (const p of [...plan.readOnlyDirs, ...plan.readOnlyFiles]) a.push('--ro-bind', p, p);
  // Absent protected names get an empty read-only directory, files included: nothing can be created there, and an
  // empty directory is invisible to `git add -A` (an empty placeholder file would be committed, and checked out later).
  for (const p of plan.absentProtected) a.push('--ro-bind', i.emptyDir, p.path);
  for (const p of plan.hiddenDirs) a.push('--ro-bind', i.hiddenDir, p);
  for (const p of plan.hiddenFiles) a.push('--ro-bind', i.hiddenFile, p);
  if (i.netDir !== undefined) a.push('--bind', i.netDir, SANDBOX_NET_DIR);
  if (!homeUnderSystem) a.push('--remount-ro', home);
  a.push('--chdir', i.cwd, '--', ...i.argv);
  return a;
}

/**
 * Every directory between a writable root and a protected or hidden path, parents first. Each is bound over itself so
 * that it is a mount point: rename(2) refuses to move a mount point (EBUSY), so `mv .git .git-old && mkdir .git` can
 * no longer step around the read-only `.git/config` and `.git/hooks` (the mounts would move with the renamed
 * directory, and the new `.git` would be plain writable disk the host then uses), and `mv secrets other` cannot carry
 * a hidden file to a name the next command's plan no longer hides.
 */
export function pinnedAncestors(plan: MountPlan): string[] {
  const roots = [...plan.profile.workspaceRoots, ...plan.allowDirs];
  const guarded = [...plan.readOnlyDirs, ...plan.readOnlyFiles, ...plan.absentProtected.map((p) => p.path), ...plan.hiddenDirs, ...plan.hiddenFiles];
  const pins = new Set<string>();
  for (const p of guarded) {
    const root = roots.filter((r) => p.startsWith(`${r}/`)).sort((x, y) => y.length - x.length)[0];
    if (root === undefined) continue;
    let dir = p.slice(0, p.lastIndexOf('/'));
    while (dir.length > root.length) {
      pins.add(dir);
      dir = dir.slice(0, dir.lastIndexOf('/'));
    }
  }
  return [...pins].sort((x, y) => x.split('/').length - y.split('/').length || (x < y ? -1 : 1));
}
