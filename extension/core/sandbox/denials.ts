// What the sandbox stopped, told to the model in words it can act on ("denied by sandbox: read .env") instead of a
// bare "Permission denied". Reads the command's output for the errors programs print when a mount says no (EACCES on
// a hidden placeholder, EROFS on a read-only path, ENOENT on a path the sandbox does not show) and the proxy's own
// record of refused hosts. A heuristic over text: it names what it recognises and never hides the original output.
import { isAbsolute, join, normalize } from 'node:path';
import type { MountPlan } from './mount-plan.js';
import type { NetRefusal } from './net-proxy.js';

export interface SandboxDenial {
  kind: 'read' | 'write' | 'network';
  target: string;
  why: string;
}

const PATH_ERRORS: { re: RegExp; code: 'EACCES' | 'EROFS' | 'ENOENT' }[] = [
  // coreutils and bash: `cat: .env: Permission denied`, `touch: cannot touch 'x': Read-only file system`
  { re: /(?:^|: )(?:cannot [\w ]+? )?'?([^'\n:]+?)'?: Permission denied$/gm, code: 'EACCES' },
  { re: /(?:^|: )(?:cannot [\w ]+? )?'?([^'\n:]+?)'?: Read-only file system$/gm, code: 'EROFS' },
  { re: /(?:^|: )(?:cannot [\w ]+? )?'?([^'\n:]+?)'?: No such file or directory$/gm, code: 'ENOENT' },
  // python: `PermissionError: [Errno 13] Permission denied: '.env'`
  { re: /\[Errno 13\] [^:\n]+: '([^'\n]+)'/g, code: 'EACCES' },
  { re: /\[Errno 30\] [^:\n]+: '([^'\n]+)'/g, code: 'EROFS' },
  { re: /\[Errno 2\] [^:\n]+: '([^'\n]+)'/g, code: 'ENOENT' },
  // node: `EACCES: permission denied, open '.env'`
  { re: /\b(EACCES|EPERM): [^,\n]+, \w+ '([^'\n]+)'/g, code: 'EACCES' },
  { re: /\bEROFS: [^,\n]+, \w+ '([^'\n]+)'/g, code: 'EROFS' },
  { re: /\bENOENT: [^,\n]+, \w+ '([^'\n]+)'/g, code: 'ENOENT' },
  // An absent protected name is an empty read-only directory for the run: writing it as a file says EISDIR.
  { re: /(?:^|: )'?([^'\n:]+?)'?: Is a directory$/gm, code: 'EROFS' },
  { re: /\[Errno 21\] [^:\n]+: '([^'\n]+)'/g, code: 'EROFS' },
  { re: /\bEISDIR: [^,\n]+, \w+ '([^'\n]+)'/g, code: 'EROFS' },
];

const NETWORK_ERRORS =
  /Connection refused|ECONNREFUSED|Network is unreachable|ENETUNREACH|Could not resolve host|getaddrinfo|EAI_AGAIN|ENOTFOUND|Temporary failure in name resolution|Name or service not known/;

function under(p: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => p === d || p.startsWith(`${d}/`));
}

export function findSandboxDenials(output: string, command: string, cwd: string, plan: MountPlan, refusals: readonly NetRefusal[]): SandboxDenial[] {
  const out: SandboxDenial[] = [];
  const seen = new Set<string>();
  const add = (d: SandboxDenial) => {
    const k = `${d.kind} ${d.target}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  };
  const roots = plan.profile.workspaceRoots;
  const shown = (rel: string) => {
    for (const r of roots) if (rel.startsWith(`${r}/`)) return rel.slice(r.length + 1);
    return rel;
  };
  const hiddenDirs = plan.hiddenDirs;
  const readOnly = [...plan.readOnlyDirs, ...plan.readOnlyFiles, ...plan.absentProtected.map((p) => p.path)];
  const writable = [...roots, '/tmp', ...plan.allowDirs];
  const visible = [...writable, ...plan.systemDirs, '/dev', '/proc'];

  for (const { re, code } of PATH_ERRORS) {
    re.lastIndex = 0;
    for (const m of output.matchAll(re)) {
      const raw = (m[2] ?? m[1] ?? '').trim();
      if (raw === '' || raw.length > 4096) continue;
      const abs = normalize(isAbsolute(raw) ? raw : join(cwd, raw));
      const name = shown(abs);
      if (plan.hiddenFiles.includes(abs) || under(abs, hiddenDirs)) {
        add({ kind: 'read', target: name, why: 'hidden: a deny read rule or a default secret covers it' });
      } else if (code === 'EROFS' && under(abs, readOnly)) {
        add({ kind: 'write', target: name, why: 'read-only: a protected path or an ask/deny write rule' });
      } else if (code === 'EROFS' && under(abs, [plan.profile.home]) && !under(abs, [...roots, ...plan.allowDirs])) {
        add({
          kind: 'write',
          target: abs,
          why: 'the home directory is read-only in the sandbox except the toolchain paths (tiller.sandbox.allowPaths adds more)',
        });
      } else if (code === 'EROFS' && !under(abs, writable)) {
        add({ kind: 'write', target: name, why: 'outside the workspace; only the workspace, /tmp and the toolchain paths are writable' });
      } else if (code === 'ENOENT' && under(abs, [plan.profile.home]) && !under(abs, [...roots, ...plan.allowDirs])) {
        add({ kind: 'read', target: abs, why: 'outside the sandbox: the home directory is hidden except the toolchain paths' });
      } else if (code === 'ENOENT' && isAbsolute(raw) && !under(abs, visible)) {
        add({ kind: 'read', target: abs, why: 'outside the sandbox: not the workspace, a system directory or an allowed toolchain path' });
      }
    }
  }
  // A program that reports no path (perl's `$!`, a shell's `2>/dev/null`): a hidden name the command mentions.
  if (/Permission denied|EACCES|PermissionError/.test(output)) {
    for (const rel of plan.hiddenRelative) {
      const base = rel.split('/').pop()!;
      if (base !== '' && command.includes(base)) add({ kind: 'read', target: rel, why: 'hidden: a deny read rule or a default secret covers it' });
    }
  }
  for (const r of refusals) add({ kind: 'network', target: `${r.host}:${r.port}`, why: r.why });
  if (refusals.length === 0 && NETWORK_ERRORS.test(output) && plan.profile.network.allow.length === 0) {
    add({
      kind: 'network',
      target: 'any host',
      why: 'the network is off in the sandbox; a `net(HOST)` rule, or an escalation a person approves, opens it for a host',
    });
  }
  return out;
}

export function describeDenials(denials: readonly SandboxDenial[]): string {
  return denials.map((d) => `denied by sandbox: ${d.kind} ${d.target} (${d.why})`).join('\n');
}
