// Approved tool lists, stored beside consent under TILLER_HOME. Each configured server has its own entry, keyed by
// where it came from and the hash of its config entry, holding the hash and description of every approved tool.
import { join } from 'node:path';
import { z } from 'zod';
import { jsonStore, type JsonStore } from '../../storage/json-store.js';
import type { ServerSpec } from '../types.js';

export interface PinnedTool {
  hash: string;
  description: string;
}

const pinFileSchema = z.object({
  version: z.literal(1),
  servers: z.record(z.string(), z.record(z.string(), z.object({ hash: z.string(), description: z.string() }))),
});
type PinFile = z.infer<typeof pinFileSchema>;

/** Shared by every window and CLI run: updates are locked; a corrupt file is set aside and reported (see storage/). */
export class PinStore {
  readonly path: string;
  private readonly store: JsonStore<PinFile>;
  constructor(home: string, warn?: (message: string) => void) {
    this.path = join(home, 'mcp-pins.json');
    this.store = jsonStore(this.path, pinFileSchema, (): PinFile => ({ version: 1, servers: {} }), { onProblem: (p) => warn?.(p.reason) });
  }

  get(key: string): Record<string, PinnedTool> | undefined {
    return this.store.read().servers[key];
  }

  async set(key: string, tools: Record<string, PinnedTool>): Promise<void> {
    this.store.update((file) => ({ ...file, servers: { ...file.servers, [key]: tools } }));
  }
}

/** Pins belong to one server entry: a workspace server's are per workspace, and a changed entry starts afresh. */
export function pinKey(spec: ServerSpec, workspaceRoot: string | undefined): string {
  const where = spec.source === 'workspace' ? `workspace:${workspaceRoot ?? ''}` : 'user';
  return `${where}:${spec.name}:${spec.configHash ?? ''}`;
}
