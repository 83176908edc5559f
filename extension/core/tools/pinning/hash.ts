// The fingerprint of a tool as the model sees it. Any change to what steers the model (name, description, input
// schema, annotations) changes the hash, so a server cannot swap a description after the user approved it.
import { createHash } from 'node:crypto';
import type { ToolDescriptor } from '../types.js';

/** JSON with object keys sorted at every level, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function toolHash(tool: Pick<ToolDescriptor, 'tool' | 'description' | 'inputSchema' | 'annotations'>): string {
  return sha256(canonicalJson({ name: tool.tool, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations ?? null }));
}
