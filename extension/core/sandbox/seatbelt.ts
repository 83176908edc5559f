// The macOS mechanism: a Seatbelt (SBPL) profile for `sandbox-exec -p`, generated from the same mount plan as the
// bubblewrap command line. Seatbelt filters by path instead of mounting, so "hidden" is a denied read of the exact
// file (and of every hard link the plan found), "read-only" a denied write, and the network is denied outright or
// limited to the proxy's loopback port. Later rules win over earlier ones, so the denies come last.
// Generated and tested here; it runs only where macOS is available.
import type { MountPlan } from './mount-plan.js';

export interface SeatbeltInputs {
  privateTmp: string;
  /** TCP port of the filtering proxy on 127.0.0.1, when some host is allowed. */
  proxyPort?: number;
}

/** An SBPL string literal: backslashes and quotes escaped, no control characters. */
export function sbplString(s: string): string {
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new Error(`path with a control character cannot go into a Seatbelt profile: ${JSON.stringify(s)}`);
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const MAC_SYSTEM = [
  '/usr',
  '/bin',
  '/sbin',
  '/System',
  '/Library',
  '/Applications/Xcode.app',
  '/opt/homebrew',
  '/private/etc',
  '/private/var/db/timezone',
  '/dev',
  '/etc',
  '/var',
];

export function seatbeltProfile(plan: MountPlan, i: SeatbeltInputs): string {
  const sub = (p: string) => `(subpath ${sbplString(p)})`;
  const lit = (p: string) => `(literal ${sbplString(p)})`;
  const lines = [
    '(version 1)',
    '(deny default)',
    '(allow process-exec process-fork signal)',
    '(allow sysctl-read mach-lookup ipc-posix-shm ipc-posix-sem iokit-open)',
    '(allow file-read-metadata)',
    `(allow file-read* ${[...MAC_SYSTEM, ...plan.systemDirs].map(sub).join(' ')})`,
    `(allow file-read* file-write* ${[...plan.profile.workspaceRoots, i.privateTmp, ...plan.allowDirs].map(sub).join(' ')} (literal "/dev/null") (literal "/dev/tty"))`,
  ];
  const readOnly = [...plan.readOnlyDirs.map(sub), ...plan.readOnlyFiles.map(lit), ...plan.absentProtected.map((p) => (p.dir ? sub(p.path) : lit(p.path)))];
  if (readOnly.length) lines.push(`(deny file-write* ${readOnly.join(' ')})`);
  const hidden = [...plan.hiddenDirs.map(sub), ...plan.hiddenFiles.map(lit)];
  if (hidden.length) lines.push(`(deny file-read* file-write* ${hidden.join(' ')})`);
  if (i.proxyPort !== undefined) lines.push(`(allow network-outbound (remote ip ${sbplString(`localhost:${i.proxyPort}`)}))`);
  else lines.push('(deny network*)');
  return `${lines.join('\n')}\n`;
}
