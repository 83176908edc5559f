// Runs commands inside the sandbox: one runner per server (its private temp dir, placeholders and policy), one
// prepared run per command (a fresh mount plan, its own proxy socket when the network is on, cleanup afterwards).
// The caller spawns what `prepare` returns in its own process group and calls `finish` once the tree is gone.
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  rmSync,
  rmdirSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EffectivePolicy } from '../policy/effective.js';
import { hostNamedExactly, netContributions } from '../policy/net-decision.js';
import { strictest } from '../policy/types.js';
import { bwrapArgs } from './bwrap-args.js';
import { absentGitRedirects, absentRedirectsIn, removeCreatedGitRedirects } from './git-redirects.js';
import { detectSandbox, describeUnavailable, type SandboxAvailability } from './mechanism.js';
import { planMounts, type MountPlan } from './mount-plan.js';
import { BRIDGE_SOURCE, proxyEnv } from './net-bridge.js';
import { startFilteringProxy, type NetRefusal } from './net-proxy.js';
import { buildSandboxProfile, sandboxRules, summariseProfile, type SandboxProfile, type SandboxSummary } from './profile.js';
import { seatbeltProfile } from './seatbelt.js';

/** `auto`: sandbox when the machine can; `required`: refuse to run when it cannot; `off`: never (tests of the old path). */
/**
 * Descriptors Tiller's own process inherited without close-on-exec (from an editor, a terminal multiplexer, a job
 * runner) pass through spawn and bubblewrap into the sandbox, where a command could write to or read from whatever is
 * on the other end. A shell first in the sandbox closes every descriptor above 2, then runs the command.
 */
const CLOSER_SHELL = '/bin/bash';
// No redirection around the loop: bash would park the real stderr on a descriptor above 2 and the loop would close it.
const CLOSE_INHERITED_FDS = 'for f in /proc/self/fd/*; do n=${f##*/}; case $n in 0|1|2|*[!0-9]*) ;; *) eval "exec $n>&-" ;; esac; done; exec "$@"';

/** World-writable scratch space other programs on the host share; not ours to read. */
const SHARED_SCRATCH = ['/var/tmp'];

export type SandboxMode = 'auto' | 'required' | 'off';
export const SANDBOX_MODES: readonly SandboxMode[] = ['auto', 'required', 'off'];

/** What a person granted for one run beyond the profile: never a hidden path, never a denied host. */
export interface Escalation {
  network?: string[];
  write?: string[];
}

export interface SandboxRunnerOptions {
  policy: EffectivePolicy;
  mode: SandboxMode;
  home: string;
  allowPaths?: readonly string[];
  /** Git common directories a worktree task's commands may write (except config, hooks, info). */
  gitDirs?: readonly string[];
  /** Paths outside the workspace commands may read, never write. */
  readPaths?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** The Node (or Electron-as-Node) binary that runs the network bridge inside the sandbox. */
  nodePath?: string;
  platform?: NodeJS.Platform;
}

export interface PreparedRun {
  sandboxed: boolean;
  file: string;
  args: string[];
  env: Record<string, string>;
  plan?: MountPlan;
  /** After the process tree is gone: removes placeholders, closes the proxy; returns what the network refused. */
  finish(): Promise<{ refusals: NetRefusal[] }>;
}

export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

export interface SandboxRunner {
  readonly availability: SandboxAvailability;
  readonly mode: SandboxMode;
  readonly profile: SandboxProfile;
  /** What commands may touch, for approval texts; `mechanism` says `none` when commands run unsandboxed. */
  summary(): SandboxSummary;
  prepare(command: string, cwd: string, env: Record<string, string>, escalation?: Escalation): Promise<PreparedRun>;
  /** The same for a program and its arguments (an MCP server), not a shell line. */
  prepareArgv(argv: string[], cwd: string, env: Record<string, string>, escalation?: Escalation): Promise<PreparedRun>;
  close(): void;
}

function placeholder(path: string, dir: boolean, mode: number): string {
  if (dir) mkdirSync(path);
  else closeSync(openSync(path, 'wx'));
  chmodSync(path, mode);
  return path;
}

/** Removes what bwrap created on the host as a mount point for an absent protected path, if it is still just that. */
function removeMountPoint(path: string, dir: boolean): void {
  try {
    const st = lstatSync(path);
    if (dir && st.isDirectory() && readdirSync(path).length === 0) rmdirSync(path);
    else if (!dir && st.isFile() && st.size === 0) unlinkSync(path);
  } catch {
    // already gone, or replaced by something real: leave it
  }
}

export function createSandboxRunner(options: SandboxRunnerOptions): SandboxRunner {
  const platform = options.platform ?? process.platform;
  const availability: SandboxAvailability =
    options.mode === 'off'
      ? { available: false, missing: 'the sandbox (switched off)', howToGet: 'start the server without `--sandbox off`' }
      : detectSandbox(options.env ?? process.env, platform);
  const nodePath = options.nodePath ?? process.execPath;
  const profile = buildSandboxProfile(options.policy, {
    home: options.home,
    ...(options.allowPaths ? { allowPaths: options.allowPaths } : {}),
    ...(options.gitDirs ? { gitDirs: options.gitDirs } : {}),
    ...(options.readPaths ? { readPaths: options.readPaths } : {}),
    runtimeDirs: [dirname(nodePath)],
  });
  const rules = sandboxRules(options.policy);
  let state:
    { base: string; tmp: string; hiddenFile: string; hiddenDir: string; emptyFile: string; emptyDir: string; symlinks: Record<string, string> } | undefined;
  let runs = 0;

  function ensureState() {
    if (state) return state;
    const base = mkdtempSync(join(tmpdir(), 'tiller-sandbox-'));
    chmodSync(base, 0o700);
    const tmp = join(base, 'tmp');
    mkdirSync(tmp, { mode: 0o700 });
    const symlinks: Record<string, string> = {};
    for (const dir of profile.systemReadOnly) {
      try {
        if (lstatSync(dir).isSymbolicLink()) symlinks[dir] = readlinkSync(dir);
      } catch {
        // absent: planMounts leaves it out
      }
    }
    state = {
      base,
      tmp,
      hiddenFile: placeholder(join(base, 'hidden-file'), false, 0o000),
      hiddenDir: placeholder(join(base, 'hidden-dir'), true, 0o000),
      emptyFile: placeholder(join(base, 'empty-file'), false, 0o444),
      emptyDir: placeholder(join(base, 'empty-dir'), true, 0o555),
      symlinks,
    };
    return state;
  }

  const decideHost = (host: string, escalated: readonly string[]) => {
    const d = strictest(netContributions(rules, host));
    if (d?.decision === 'deny') return false;
    if (escalated.includes(host.toLowerCase())) return true;
    return d?.decision === 'allow';
  };

  return {
    availability,
    mode: options.mode,
    profile,
    summary() {
      return summariseProfile(profile, availability.available ? availability.mechanism : 'none');
    },
    prepare(command, cwd, env, escalation) {
      return this.prepareArgv(['/bin/bash', '-c', command], cwd, env, escalation);
    },
    async prepareArgv(inner, cwd, env, escalation = {}) {
      if (inner.length === 0) throw new Error('nothing to run');
      if (!availability.available) {
        if (options.mode === 'required') throw new SandboxUnavailableError(describeUnavailable(availability));
        return { sandboxed: false, file: inner[0]!, args: inner.slice(1), env, finish: async () => ({ refusals: [] }) };
      }
      const s = ensureState();
      const plan = planMounts(profile);
      const gitRedirects = [...absentGitRedirects(profile.workspaceRoots), ...absentRedirectsIn(profile.gitDirs)];
      const writeExtra = (escalation.write ?? []).filter((p) => !plan.hiddenFiles.includes(p) && !plan.hiddenDirs.includes(p));
      if (writeExtra.length) {
        // Lifted for this run only: protected paths the person named stop being read-only, outside paths become writable.
        plan.readOnlyDirs = plan.readOnlyDirs.filter((p) => !writeExtra.includes(p));
        plan.readOnlyFiles = plan.readOnlyFiles.filter((p) => !writeExtra.includes(p));
        plan.absentProtected = plan.absentProtected.filter((p) => !writeExtra.includes(p.path));
        const outside = writeExtra.filter((p) => !profile.workspaceRoots.some((r) => p === r || p.startsWith(`${r}/`)));
        // A bind needs something to bind: a named file that does not exist yet is created empty (its directory must
        // exist), so the grant stays that one file and never widens to the directory around it.
        for (const p of outside) {
          if (existsSync(p)) continue;
          if (!existsSync(dirname(p))) throw new Error(`cannot grant writing ${p}: its directory does not exist`);
          closeSync(openSync(p, 'wx'));
        }
        plan.allowDirs = [...plan.allowDirs, ...outside];
      }
      const escalatedHosts = (escalation.network ?? []).map((h) => h.toLowerCase());
      const networkOn = profile.network.allow.length > 0 || escalatedHosts.length > 0;
      const runEnv: Record<string, string> = { ...env, TMPDIR: '/tmp', TILLER_SANDBOX: availability.mechanism };

      if (availability.mechanism === 'seatbelt') {
        const sb = seatbeltProfile(plan, { privateTmp: s.tmp });
        return {
          sandboxed: true,
          file: availability.executable,
          args: ['-p', sb, ...inner],
          env: { ...runEnv, TMPDIR: s.tmp },
          plan,
          finish: async () => {
            removeCreatedGitRedirects(gitRedirects);
            return { refusals: [] };
          },
        };
      }

      let proxy: Awaited<ReturnType<typeof startFilteringProxy>> | undefined;
      let netDir: string | undefined;
      if (networkOn) {
        netDir = join(s.base, `net-${++runs}`);
        mkdirSync(netDir, { mode: 0o700 });
        proxy = await startFilteringProxy(join(netDir, 'proxy.sock'), {
          allows: (host) => decideHost(host, escalatedHosts),
          namesExactly: (host) => escalatedHosts.includes(host.toLowerCase()) || hostNamedExactly(rules, host),
        });
        Object.assign(runEnv, proxyEnv(), { ELECTRON_RUN_AS_NODE: '1' });
      }
      const bridged = networkOn ? [nodePath, '-e', BRIDGE_SOURCE, ...inner] : inner;
      const argv = existsSync(CLOSER_SHELL) ? [CLOSER_SHELL, '-c', CLOSE_INHERITED_FDS, 'tiller-sandbox', ...bridged] : bridged;
      const args = bwrapArgs({
        plan,
        privateTmp: s.tmp,
        hiddenFile: s.hiddenFile,
        hiddenDir: s.hiddenDir,
        emptyFile: s.emptyFile,
        emptyDir: s.emptyDir,
        symlinks: s.symlinks,
        cwd,
        sharedScratch: SHARED_SCRATCH.filter((d) => plan.systemDirs.some((s) => d.startsWith(`${s}/`)) && existsSync(d)),
        ...(netDir !== undefined ? { netDir } : {}),
        argv,
      });
      return {
        sandboxed: true,
        file: availability.executable,
        args,
        env: runEnv,
        plan,
        async finish() {
          for (const p of plan.absentProtected) removeMountPoint(p.path, true);
          removeCreatedGitRedirects(gitRedirects);
          const refusals = proxy ? [...proxy.refusals] : [];
          await proxy?.close();
          if (netDir !== undefined) rmSync(netDir, { recursive: true, force: true });
          return { refusals };
        },
      };
    },
    close() {
      if (!state) return;
      // The placeholders are mode 000; rm as their owner works regardless.
      rmSync(state.base, { recursive: true, force: true });
      state = undefined;
    },
  };
}
