// Approved tool lists, stored beside consent under TILLER_HOME. Each configured server has its own entry, keyed by
// where it came from and the hash of its config entry, holding the hash and description of every approved tool.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonState, writeJsonState } from '../config/json-store.js';
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

export class PinStore {
  readonly path: string;
  constructor(home: string, private readonly warn?: (message: string) => void) {
    this.path = join(home, 'mcp-pins.json');
  }

  get(key: string): Record<string, PinnedTool> | undefined {
    return this.read().servers[key];
  }

  async set(key: string, tools: Record<string, PinnedTool>): Promise<void> {
    const file = this.read();
    file.servers[key] = tools;
    await writeJsonState(this.path, file);
  }

  private read(): PinFile {
    return readJsonState(this.path, pinFileSchema, () => ({ version: 1, servers: {} }), this.warn);
  }
}

/** Pins belong to one server entry: a workspace server's are per workspace, and a changed entry starts afresh. */
export function pinKey(spec: ServerSpec, workspaceRoot: string | undefined): string {
  const where = spec.source === 'workspace' ? `workspace:${workspaceRoot ?? ''}` : 'user';
  return `${where}:${spec.name}:${spec.configHash ?? ''}`;
}
