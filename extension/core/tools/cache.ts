// Per-task cache of tool results, for tools that are read-only and idempotent: the built-in read tools, and tools of
// servers the user trusts that say so in their annotations (an untrusted server's annotations are only hints). It
// sits below the permission gate, so a cached result still passes policy on every call. Any other call may change
// what a read would return (an edit, a shell command, a third-party tool with side effects), so it empties the cache.
import { builtinTool } from '../model/builtin-tools.js';
import { canonicalJson } from './pinning/hash.js';
import type { ToolCallOptions, ToolCallResult, ToolDescriptor, ToolHost } from './types.js';

export function isCacheable(d: ToolDescriptor): boolean {
  const builtin = builtinTool(d.name);
  if (builtin?.cacheable === true) return d.server === builtin.server;
  return d.trusted === true && d.annotations?.readOnlyHint === true && d.annotations.idempotentHint === true && d.annotations.destructiveHint !== true;
}

export class ToolResultCache {
  private readonly entries = new Map<string, ToolCallResult>();
  /** Entries beyond this are not stored (a task rarely repeats more reads than this). */
  constructor(private readonly maxEntries = 500) {}

  get(tool: string, args: Record<string, unknown>): ToolCallResult | undefined {
    return this.entries.get(key(tool, args));
  }

  set(tool: string, args: Record<string, unknown>, result: ToolCallResult): void {
    if (this.entries.size < this.maxEntries) this.entries.set(key(tool, args), result);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function key(tool: string, args: Record<string, unknown>): string {
  return `${tool}\u0000${canonicalJson(args)}`;
}

/** Cacheable calls are answered from the cache until the next listTools (a new task); such results say `cached: true`. */
export function cachingToolHost<H extends ToolHost>(inner: H, cache = new ToolResultCache()): H & { cache: ToolResultCache } {
  let cacheable = new Set<string>();
  // Bumped before and after every call that may change things, so a read that overlapped one (a subagent running
  // beside a command) is not stored: its result may predate the change.
  let generation = 0;
  // Whatever else the inner host offers (server status, resources, prompts) stays reachable.
  return Object.assign(Object.create(inner) as H, {
    cache,
    async listTools() {
      // A task starts by listing the tools: that is where one task's cache ends.
      cache.clear();
      const tools = await inner.listTools();
      cacheable = new Set(tools.filter(isCacheable).map((d) => d.name));
      return tools;
    },
    async callTool(name: string, args: Record<string, unknown>, options?: ToolCallOptions) {
      if (!cacheable.has(name)) {
        generation++;
        cache.clear();
        try {
          return await inner.callTool(name, args, options);
        } finally {
          generation++;
          cache.clear();
        }
      }
      const hit = cache.get(name, args);
      if (hit) return { ...hit, cached: true };
      const startedAt = generation;
      const result = await inner.callTool(name, args, options);
      if (!result.isError && generation === startedAt) cache.set(name, args, result);
      return result;
    },
    close: () => inner.close(),
  });
}
