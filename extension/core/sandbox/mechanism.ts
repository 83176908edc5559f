// Which OS sandbox this machine has, and why Tiller drives it itself.
//
// Decision (issue 14): Tiller drives Debian/Ubuntu's `bubblewrap` directly on Linux (and generates a Seatbelt profile
// for `sandbox-exec` on macOS), with its own small filtering HTTP CONNECT proxy, instead of using
// `@anthropic-ai/sandbox-runtime`. Both were tried on this kind of machine (sandbox-runtime 0.0.78 through its library
// API, one long-lived `SandboxManager.initialize`, then `wrapWithSandbox` per command):
// - It did deny `**/.env` (also from python3), kept `.git/config` and the outside read-only and made a loopback
//   listener unreachable. But a hard link to `.env` in the workspace was read in full: it hides by path, and issue 14
//   requires hiding by device+inode too. Tiller's own mount plan (mount-plan.ts) does.
// - Its rules are its own (ripgrep-expanded globs, allowRead beating denyRead), not Tiller's: we would translate our
//   rule language into another one and hope the two glob dialects agree. The profile here is derived from the very
//   rules the gate decides with (policy/glob.ts), so they cannot disagree.
// - Cost: `wrapWithSandbox` took 10-30 ms of JavaScript and a ripgrep scan per command before bubblewrap even started
//   (about 30 ms per `true` in total); the budget is 30 ms added at p95. Driving bwrap with a cached plan costs a few ms.
// - It is one process-wide singleton (`SandboxManager`) with a single config, needs `socat` inside the sandbox and
//   `ripgrep` to start, exports proxy credentials in the environment, and is a 0.0.x research preview whose API moves.
// What we keep from its design: an unshared network namespace whose only exit is a proxy on a bound Unix socket, and
// /dev/null-style placeholders (removed after the run) for protected paths that do not exist yet.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type SandboxMechanism = 'bubblewrap' | 'seatbelt';

export type SandboxAvailability =
  { available: true; mechanism: SandboxMechanism; executable: string } | { available: false; missing: string; howToGet: string };

function onPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const cache = new Map<string, SandboxAvailability>();

/**
 * Whether commands can be sandboxed here. On Linux this runs bubblewrap once (`true` in the namespaces a command gets),
 * because an installed bwrap can still be refused by the kernel (user namespaces off, AppArmor's restriction, a
 * container without the privilege). The answer is cached per executable.
 */
export function detectSandbox(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): SandboxAvailability {
  if (platform === 'darwin') {
    const exe = '/usr/bin/sandbox-exec';
    return existsSync(exe)
      ? { available: true, mechanism: 'seatbelt', executable: exe }
      : { available: false, missing: '/usr/bin/sandbox-exec', howToGet: 'sandbox-exec ships with macOS; it is missing from this system' };
  }
  if (platform !== 'linux') {
    return {
      available: false,
      missing: `an OS sandbox for ${platform}`,
      howToGet: 'Tiller sandboxes commands on Linux (bubblewrap) and macOS (Seatbelt) only',
    };
  }
  if (env.TILLER_BWRAP !== undefined) {
    try {
      accessSync(env.TILLER_BWRAP, constants.X_OK);
    } catch {
      return {
        available: false,
        missing: `bubblewrap (TILLER_BWRAP=${env.TILLER_BWRAP} is not an executable)`,
        howToGet: 'point TILLER_BWRAP at bwrap, or unset it and install bubblewrap: `sudo apt-get install bubblewrap`',
      };
    }
  }
  const exe = env.TILLER_BWRAP ?? onPath('bwrap', env.PATH);
  if (exe === undefined) {
    return {
      available: false,
      missing: 'bubblewrap (`bwrap` is not on PATH)',
      howToGet: 'install it: `sudo apt-get install bubblewrap` (Debian/Ubuntu), `sudo dnf install bubblewrap` (Fedora), `sudo pacman -S bubblewrap` (Arch)',
    };
  }
  const cached = cache.get(exe);
  if (cached) return cached;
  const probe = spawnSync(
    exe,
    ['--die-with-parent', '--unshare-all', '--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--', '/bin/true'],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  let result: SandboxAvailability;
  if (probe.status === 0) {
    result = { available: true, mechanism: 'bubblewrap', executable: exe };
  } else {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim();
    result = {
      available: false,
      missing: `working namespaces for bubblewrap (${exe} failed: ${why})`,
      howToGet: /namespace|Operation not permitted|setting up uid map/i.test(why)
        ? 'enable unprivileged user namespaces (`sudo sysctl kernel.unprivileged_userns_clone=1`; on Ubuntu 24.04 also `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` or an AppArmor profile for bwrap), or run in a container started with the privilege to create namespaces'
        : 'check that bubblewrap runs: `bwrap --ro-bind / / true`',
    };
  }
  cache.set(exe, result);
  return result;
}

/** One line for the UI and the CLI: what is missing and how to get it. */
export function describeUnavailable(a: Extract<SandboxAvailability, { available: false }>): string {
  return `No sandbox: ${a.missing}. Commands run without containment and keep asking before they run; ${a.howToGet}.`;
}
