// `tiller sandbox check --workspace DIR`: prints the sandbox commands get in this workspace (mechanism, writable,
// read-only, hidden, network) and probes it with real commands, so a user sees it hold on their own machine: a read of
// a denied file, a write outside the workspace and into the home directory, a write of `.git/config`, a connection to
// a listener on this machine's loopback, and a write inside the workspace that must work. Exit 0 when every probe
// held, 1 when one did not, 2 when there is no sandbox (the message says what is missing and how to get it).
import { spawn } from 'node:child_process';
import { existsSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadProjectRules } from '../core/policy/load.js';
import { createSandboxRunner } from '../core/sandbox/runner.js';
import { describeUnavailable } from '../core/sandbox/mechanism.js';
import { formatSummary } from '../core/sandbox/profile.js';
import { parsePathList } from '../core/sandbox/toolchain-paths.js';
import { buildCommandEnv } from '../../mcp-servers/shell/command-env.js';
import { EXIT, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadUserRules } from './user-rules.js';

export const SANDBOX_USAGE = 'tiller sandbox check --workspace DIR [--sandbox-allow-path PATH]...';

interface Probe {
  name: string;
  command: string;
  /** Whether the probe held, from the command's output and exit code and the host's own view afterwards. */
  held(out: string, code: number | null): boolean;
}

function run(file: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', (e) => resolve({ out: `${out}${e.message}`, code: null }));
    child.on('close', (code) => resolve({ out, code }));
  });
}

export async function sandboxCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'check') throw new UsageError(`usage: ${SANDBOX_USAGE}`);
  let values: { workspace?: string; 'sandbox-allow-path'?: string[] };
  try {
    values = parseArgs({
      args: rest,
      strict: true,
      options: { workspace: { type: 'string', short: 'w' }, 'sandbox-allow-path': { type: 'string', multiple: true } },
    }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${SANDBOX_USAGE}`);
  }
  if (!values.workspace) throw new UsageError(`--workspace DIR is required\nusage: ${SANDBOX_USAGE}`);
  let root: string;
  try {
    root = realpathSync(values.workspace);
  } catch {
    throw new UsageError(`the workspace ${values.workspace} does not exist`);
  }
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const userRules = loadUserRules() ?? {};
  const project = loadProjectRules(root).rules;
  const home = io.env.HOME ?? homedir();
  const runner = createSandboxRunner({
    // Project allows need the user's consent, which only a task checks; the check shows the restrictions alone.
    policy: { version: 1, workspaceRoots: [root], caseInsensitive: false, userRules, projectRules: { ask: project.ask ?? [], deny: project.deny ?? [] } },
    mode: 'required',
    home,
    allowPaths: [...parsePathList(io.env.TILLER_SANDBOX_ALLOW_PATHS), ...(values['sandbox-allow-path'] ?? [])],
    env: io.env,
  });
  out(`workspace: ${root}`);
  out(formatSummary(runner.summary(), ''));
  if (!runner.availability.available) {
    out(describeUnavailable(runner.availability));
    return EXIT.usage;
  }

  const tag = randomBytes(4).toString('hex');
  const canary = `tiller-canary-${randomBytes(8).toString('hex')}`;
  const secret = join(root, `.env.tiller-probe-${tag}`);
  const outside = join(dirname(root), `.tiller-probe-${tag}`);
  const inHome = join(home, `.tiller-probe-${tag}`);
  const inside = join(root, `.tiller-probe-${tag}`);
  const listener = createServer((s) => {
    connections++;
    s.destroy();
  });
  let connections = 0;
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const port = (listener.address() as { port: number }).port;
  writeFileSync(secret, `${canary}\n`);
  const probes: Probe[] = [
    { name: `read a denied file (${secret.slice(root.length + 1)})`, command: `cat ${JSON.stringify(secret)}`, held: (o) => !o.includes(canary) },
    { name: `write outside the workspace (${outside})`, command: `echo x > ${JSON.stringify(outside)}`, held: () => !existsSync(outside) },
    { name: `write into the home directory (${inHome})`, command: `echo x > ${JSON.stringify(inHome)}`, held: () => !existsSync(inHome) },
    ...(existsSync(join(root, '.git', 'config'))
      ? [{ name: 'write .git/config', command: 'echo "# probe" >> .git/config', held: (_o: string, c: number | null) => c !== 0 }]
      : []),
    {
      name: `connect to a listener on 127.0.0.1:${port}`,
      command: `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`,
      held: (o) => !o.includes('connected') && connections === 0,
    },
    {
      name: 'write inside the workspace (must work)',
      command: `echo ok > ${JSON.stringify(inside)} && cat ${JSON.stringify(inside)}`,
      held: (o, c) => c === 0 && o.includes('ok'),
    },
  ];
  let failed = 0;
  out('probes:');
  try {
    for (const probe of probes) {
      const prepared = await runner.prepare(probe.command, root, buildCommandEnv(io.env));
      const r = await run(prepared.file, prepared.args, prepared.env, root);
      await prepared.finish();
      const held = probe.held(r.out, r.code);
      if (!held) failed++;
      out(`  ${held ? 'held ' : 'FAILED'} ${probe.name}${held ? '' : `: ${r.out.trim().slice(0, 200)}`}`);
    }
  } finally {
    for (const p of [secret, outside, inHome, inside]) {
      try {
        unlinkSync(p);
      } catch {
        // not created: the probe held
      }
    }
    listener.close();
    runner.close();
    rmSync(outside, { force: true });
  }
  out(failed === 0 ? 'the sandbox holds.' : `${failed} probe(s) did not hold.`);
  return failed === 0 ? EXIT.done : EXIT.failed;
}
