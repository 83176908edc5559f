// Tool-list pinning, as a layer over the tool host. The tools of a configured (non built-in) server reach the model
// only once the user has approved them; what was approved is pinned by hash. When a server later offers a new tool or
// changes a description, schema or annotations, that tool is held back until approved again, and the change is
// reported with a diff. A call is checked against the pins at call time too, so a tool swapped after listing is
// refused rather than run.
import type { Approver, Logger, McpToolForApproval } from '../../ports.js';
import { silentLogger } from '../../ports.js';
import { scanDescription, scanSchemaText } from '../descriptions.js';
import { ToolHostError, type ServerSpec, type ToolCallOptions, type ToolDescriptor, type ToolHost } from '../types.js';
import { describeChange } from './diff.js';
import { toolHash } from './hash.js';
import { pinKey, type PinnedTool, type PinStore } from './store.js';

export interface PinningOptions {
  store: PinStore;
  approver: Approver;
  /** The configured servers (with `source`); servers not listed here (the built-ins) are not pinned. */
  servers: readonly ServerSpec[];
  workspaceRoot?: string;
  log?: Logger;
  /** Told of every tool-list decision (the harness records it in the trace). */
  onReview?: (review: { server: string; tools: string[]; changed: boolean; flagged: number; approved: boolean }) => void;
}

export function pinnedToolHost<H extends ToolHost>(inner: H, options: PinningOptions): H {
  const log = options.log ?? silentLogger;
  const configured = new Map(options.servers.map((s) => [s.name, s]));
  /** Per server, the set of tool-list hashes the user declined this session: asked once, not at every task. */
  const declined = new Set<string>();

  function approvedHashes(spec: ServerSpec): Record<string, PinnedTool> {
    return options.store.get(pinKey(spec, options.workspaceRoot)) ?? {};
  }

  async function reviewServer(spec: ServerSpec, tools: ToolDescriptor[]): Promise<ToolDescriptor[]> {
    const pins = approvedHashes(spec);
    const pending: { descriptor: ToolDescriptor; hash: string; before?: PinnedTool }[] = [];
    const offered: ToolDescriptor[] = [];
    for (const d of tools) {
      const hash = toolHash(d);
      const pin = pins[d.tool];
      if (pin?.hash === hash) offered.push(d);
      else pending.push({ descriptor: d, hash, ...(pin ? { before: pin } : {}) });
    }
    if (pending.length === 0) return offered;
    const everApproved = Object.keys(pins).length > 0;
    for (const p of pending.filter((x) => x.before)) {
      log.warn(
        `MCP server "${spec.name}" changed the tool ${p.descriptor.tool} since you approved it; it is held back until approved again:\n${describeChange(p.before!.description, p.descriptor.description)}`,
      );
    }
    const askKey = `${spec.name}:${pending
      .map((p) => p.hash)
      .sort()
      .join(',')}`;
    if (declined.has(askKey)) return offered;
    const request: McpToolForApproval[] = pending.map((p) => ({
      name: p.descriptor.tool,
      description: p.descriptor.description,
      flags: scanDescription(p.descriptor.description),
      schemaFlags: scanSchemaText(p.descriptor.inputSchema).map((x) => ({ path: x.path, text: x.text, flags: x.findings })),
      status: p.before ? 'changed' : 'new',
      ...(p.before ? { previousDescription: p.before.description } : {}),
    }));
    const answer = await options.approver.approve({ kind: 'mcp_tools', server: spec.name, tools: request, changed: everApproved });
    options.onReview?.({
      server: spec.name,
      tools: request.map((t) => t.name),
      changed: everApproved,
      flagged: request.filter((t) => t.flags.length > 0 || (t.schemaFlags?.length ?? 0) > 0).length,
      approved: answer.approved,
    });
    if (!answer.approved) {
      declined.add(askKey);
      log.warn(
        `MCP server "${spec.name}": ${pending.length} tool(s) not approved, not offered to the model: ${pending.map((p) => p.descriptor.tool).join(', ')}`,
      );
      return offered;
    }
    const next: Record<string, PinnedTool> = { ...pins };
    for (const p of pending) next[p.descriptor.tool] = { hash: p.hash, description: p.descriptor.description };
    await options.store.set(pinKey(spec, options.workspaceRoot), next);
    return [...offered, ...pending.map((p) => p.descriptor)];
  }

  async function listTools(): Promise<ToolDescriptor[]> {
    const all = await inner.listTools();
    const out: ToolDescriptor[] = [];
    const byServer = new Map<string, ToolDescriptor[]>();
    for (const d of all) {
      if (!configured.has(d.server)) out.push(d);
      else byServer.set(d.server, [...(byServer.get(d.server) ?? []), d]);
    }
    for (const [server, tools] of byServer) {
      const spec = configured.get(server)!;
      const approved = await reviewServer(spec, tools);
      out.push(...approved.map((d) => (spec.trusted === true ? { ...d, trusted: true } : d)));
    }
    return out;
  }

  async function callTool(name: string, args: Record<string, unknown>, callOptions?: ToolCallOptions) {
    const server = name.slice(0, Math.max(0, name.indexOf('.')));
    const spec = configured.get(server);
    if (spec) {
      const current = (await inner.listTools()).find((d) => d.name === name);
      const pin = current ? approvedHashes(spec)[current.tool] : undefined;
      if (current && pin?.hash !== toolHash(current)) {
        throw new ToolHostError('unknown_tool', `${name} has not been approved in its current form (its description or schema changed); it was not run`);
      }
    }
    return inner.callTool(name, args, callOptions);
  }

  // Keep whatever else the inner host offers (server status, ...), overriding listing and calling only.
  return Object.assign(Object.create(inner) as H, { listTools, callTool, close: () => inner.close() });
}
