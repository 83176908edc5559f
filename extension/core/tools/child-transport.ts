// The stdio transport for MCP server children. Unlike the SDK's, it starts the child in its own process group
// (so close() can take down the server and anything it spawned), always drains stderr into a ring buffer
// (a chatty server can neither block on a full pipe nor spill into our output), and survives lines on stdout
// that are not JSON-RPC (reported through onerror, then skipped). A message over the SDK's read-buffer limit cannot
// be read at all, and the rest of it would arrive as garbage while the call waited out its timeout: the server is
// stopped at once instead, so the pending call fails now with the reason, and the supervisor restarts it.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ReadBuffer, serializeMessage, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ByteRing } from './ring-buffer.js';

export interface ChildTransportOptions {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Receives the child's stderr; kept by the caller for diagnostics. */
  stderr: ByteRing;
  /** Largest message read from the server, in bytes. The SDK's 10 MiB when omitted. */
  maxMessageBytes?: number;
}

const GRACE_MS = 2000;

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly buffer: ReadBuffer;
  /** Set when the transport itself stopped the server; wins over the exit status it caused. */
  private fatal: string | undefined;
  private exited: Promise<void> = Promise.resolve();
  private closedNotified = false;
  exitDescription: string | undefined;

  constructor(private readonly options: ChildTransportOptions) {
    this.buffer = new ReadBuffer({ maxBufferSize: options.maxMessageBytes ?? STDIO_DEFAULT_MAX_BUFFER_SIZE });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child !== undefined) throw new Error('transport already started');
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        env: { ...getDefaultEnvironment(), ...this.options.env },
        cwd: this.options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('close', () => done()));
      child.once('error', (error) => {
        this.exitDescription = `could not start ${this.options.command}: ${error.message}`;
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.exitDescription = this.fatal ?? (signal !== null ? `killed by ${signal}` : `exited with code ${code}`);
      });
      child.once('close', () => this.notifyClosed());
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stderr?.on('data', (chunk: Buffer) => this.options.stderr.push(chunk));
      child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
    });
  }

  /**
   * How the process ended, waiting up to `ms` for it: a server that dies at start makes the first write fail with
   * EPIPE a moment before its exit is seen, and the exit (its code, its stderr) is what the user needs to read.
   */
  async exitAfter(ms: number): Promise<string | undefined> {
    if (this.exitDescription === undefined && this.child !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exited, new Promise<void>((done) => (timer = setTimeout(done, ms)))]);
      clearTimeout(timer);
    }
    return this.exitDescription;
  }

  private onStdout(chunk: Buffer): void {
    if (this.fatal !== undefined) return;
    try {
      this.buffer.append(chunk);
    } catch {
      this.stopOversized();
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        this.onerror?.(new Error(`server wrote a line that is not JSON-RPC: ${(error as Error).message}`));
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  /** The server wrote more than one message may hold: stop it now, so the call in flight fails with the reason. */
  private stopOversized(): void {
    const limit = this.options.maxMessageBytes ?? STDIO_DEFAULT_MAX_BUFFER_SIZE;
    this.fatal = `sent a message over the ${Math.round(limit / (1024 * 1024))} MiB limit of the stdio transport and was stopped; it is restarted on the next call`;
    this.exitDescription = this.fatal;
    this.buffer.clear();
    this.child?.stdout?.removeAllListeners('data');
    this.child?.stdout?.resume(); // drain the rest unread, so the child is never blocked on a full pipe
    this.onerror?.(new Error(`the server ${this.fatal}`));
    if (this.child?.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    this.notifyClosed();
  }

  private notifyClosed(): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || this.closedNotified) return Promise.reject(new Error('server process is not running'));
    return new Promise((resolve, reject) => {
      const ok = stdin.write(serializeMessage(message), (error) => (error ? reject(error) : undefined));
      if (ok) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Asks the server to stop (stdin closed), then SIGTERM and SIGKILL to its whole process group. */
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.pid === undefined) return this.notifyClosed();
    const pid = child.pid;
    const waitExit = (ms: number): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        void this.exited.then(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    try {
      child.stdin?.end();
    } catch {
      // already closed
    }
    if (!(await waitExit(GRACE_MS))) {
      signalGroup(pid, 'SIGTERM');
      if (!(await waitExit(GRACE_MS))) signalGroup(pid, 'SIGKILL');
    }
    // Anything the server left in its group goes too, even if the server itself exited cleanly.
    signalGroup(pid, 'SIGKILL');
    await waitExit(GRACE_MS);
    this.notifyClosed();
  }
}
