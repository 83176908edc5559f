// Shared by the fault and injection suites: the bundled CLI as a child process, scripted models, temp workspaces.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startModelServer, type ModelServer, type ModelServerOptions } from '../fixtures/model-server.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempWorkspace(files: Record<string, string>, parent?: string): string {
  const dir = parent ?? mkdtempSync(join(tmpdir(), 'tiller-fault-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export class Models {
  private readonly servers: ModelServer[] = [];
  async start(script: ModelServerOptions['script'], extra: Partial<ModelServerOptions> = {}): Promise<ModelServer> {
    const s = await startModelServer({ script, ...extra });
    this.servers.push(s);
    return s;
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }
}

export function runCli(dist: string, args: string[], options: { env?: Record<string, string>; stdin?: string; home?: string; extraPipe?: boolean } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dist, 'cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', TILLER_HOME: options.home ?? mkdtempSync(join(tmpdir(), 'tiller-home-')), ...options.env },
      // An extra inherited descriptor (fd 3), as an editor or a terminal multiplexer may leave open: it must not reach a sandbox.
      stdio: options.extraPipe ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** The last message of each request the model received: what the harness answered to its previous reply. */
export function lastMessages(server: ModelServer): string[] {
  return server.requests.map((q) => String((q.body.messages as { content: string | null }[]).at(-1)?.content ?? ''));
}
