// What the MCP servers view shows, free of `vscode` (tested with plain Node): every server Tiller would host (the
// built-ins and the configured ones, with where each is configured) merged with what is known of its state: live
// from the running task's host, the consent dialog while it is open, or the last task's (or last check's) state
// when none runs. Stop and restart act on the running task's host; with no task running, "restart" is a check run.
import type { McpServerControl } from '../core/harness.js';
import type { ServerStatus } from '../core/tools/supervisor.js';
import { lastLines } from '../core/tools/ring-buffer.js';

export type McpRowState = 'running' | 'starting' | 'failed' | 'waiting_for_consent' | 'stopped';

export interface McpServerEntry {
  name: string;
  source: 'builtin' | 'user' | 'workspace';
  /** Where it is configured, for people: "built in", "tiller.mcpServers", ".vscode/mcp.json". */
  origin: string;
  /** The absolute path of the file it is configured in, when that is a workspace file. */
  file?: string;
  /** What runs: the command line or URL as configured. */
  target: string;
  /** A workspace server the user has not agreed to yet (this exact entry). */
  needsConsent?: boolean;
  /** Why it cannot start at all (an untrusted workspace). */
  blocked?: string;
}

export interface McpServerRow extends McpServerEntry {
  state: McpRowState;
  /** One line after the name: "running · 5 tools · pid 4242", "failed: exited with code 2", ... */
  detail: string;
  lastError?: string;
  /** The last lines of the server's stderr, oldest first. */
  stderr: string[];
  /** In the running task's host: stop and restart act on the process the task uses. */
  live: boolean;
}

/** Runs one server on its own to see whether it starts (no task running); resolves with its status before it closed. */
export type CheckServer = (name: string, onStatus: (status: ServerStatus) => void) => Promise<ServerStatus | undefined>;

export const STDERR_LINES = 20;

export class McpServersModel {
  private entries: McpServerEntry[] = [];
  private statuses = new Map<string, ServerStatus>();
  private control: McpServerControl | undefined;
  private consentOpen = new Set<string>();
  private declined = new Set<string>();
  private checking = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly check: CheckServer) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** The servers Tiller would host, as the settings and workspace files say now. */
  setEntries(entries: readonly McpServerEntry[]): void {
    this.entries = [...entries];
    this.changed();
  }

  /** A task's host started: its events now drive the view, and stop/restart act on it. */
  attach(control: McpServerControl): void {
    this.control = control;
    this.update(control.servers());
  }

  /** The task is over (called before its host closes): the last states stay, marked as not running. */
  detach(control: McpServerControl): void {
    if (this.control !== control) return;
    this.control = undefined;
    this.changed();
  }

  /** The running host's `onServersChanged`; ignored once its task is detached (the closing states say nothing new). */
  update(statuses: readonly ServerStatus[], from: 'task' | 'check' = 'task'): void {
    if (from === 'task' && this.control === undefined) return;
    for (const status of statuses) this.statuses.set(status.name, status);
    this.changed();
  }

  consentAsked(name: string): void {
    this.consentOpen.add(name);
    this.changed();
  }

  consentAnswered(name: string, granted: boolean): void {
    this.consentOpen.delete(name);
    if (granted) this.declined.delete(name);
    else this.declined.add(name);
    this.changed();
  }

  get taskRunning(): boolean {
    return this.control !== undefined;
  }

  rows(): McpServerRow[] {
    return this.entries.map((entry) => this.row(entry));
  }

  row(entry: McpServerEntry): McpServerRow {
    const status = this.statuses.get(entry.name);
    const live = this.control !== undefined && status !== undefined && status.state !== 'closed';
    const base = {
      ...entry,
      live,
      stderr: status ? lastLines(status.stderrTail, STDERR_LINES) : [],
      ...(status?.lastError !== undefined ? { lastError: status.lastError } : {}),
    };
    if (this.consentOpen.has(entry.name)) return { ...base, state: 'waiting_for_consent', detail: 'waiting for consent: answer the dialog' };
    if (entry.blocked !== undefined) return { ...base, state: 'stopped', detail: entry.blocked };
    if (this.checking.has(entry.name) && status?.state !== 'down' && status?.state !== 'circuit_open') {
      return { ...base, state: 'starting', detail: 'starting (check run)…' };
    }
    if (status === undefined || (!live && status.state === 'closed')) {
      if (this.declined.has(entry.name)) return { ...base, state: 'waiting_for_consent', detail: 'not approved: restart to be asked again' };
      if (entry.needsConsent)
        return { ...base, state: 'waiting_for_consent', detail: 'waiting for consent: asked when a task starts, or restart to be asked now' };
      return { ...base, state: 'stopped', detail: 'not running: starts with the next task' };
    }
    const tools = `${status.toolCount} tool${status.toolCount === 1 ? '' : 's'}`;
    switch (status.state) {
      case 'up':
        return live
          ? { ...base, state: 'running', detail: `running · ${tools}${status.pid !== undefined ? ` · pid ${status.pid}` : ''}` }
          : { ...base, state: 'stopped', detail: `not running: started fine (${tools}) and starts with the next task` };
      case 'starting':
        return live ? { ...base, state: 'starting', detail: 'starting…' } : { ...base, state: 'stopped', detail: 'not running: starts with the next task' };
      case 'down':
        return { ...base, state: 'failed', detail: `failed${live ? '' : ' (last run)'}: ${status.lastError ?? 'it stopped'}` };
      case 'circuit_open':
        return { ...base, state: 'failed', detail: `failed ${status.recentCrashes} times in a minute; not restarted for now: ${status.lastError ?? ''}` };
      case 'stopped':
        return {
          ...base,
          state: 'stopped',
          detail: live ? 'stopped by you: its tools are unavailable until restarted' : 'not running: starts with the next task',
        };
      case 'closed':
        return { ...base, state: 'stopped', detail: 'not running: starts with the next task' };
    }
  }

  /** Restart in the running task's host, or, with no task running, start it on its own to see whether it works. */
  async restart(name: string): Promise<void> {
    if (this.control !== undefined) {
      this.update([await this.control.restartServer(name)]);
      return;
    }
    this.checking.add(name);
    this.declined.delete(name);
    this.changed();
    try {
      const status = await this.check(name, (s) => this.update([s], 'check'));
      if (status !== undefined) this.statuses.set(name, status);
    } finally {
      this.checking.delete(name);
      this.changed();
    }
  }

  /** Stops the server in the running task's host; false when no task is running (nothing to stop). */
  async stop(name: string): Promise<boolean> {
    if (this.control === undefined) return false;
    this.update([await this.control.stopServer(name)]);
    return true;
  }
}
