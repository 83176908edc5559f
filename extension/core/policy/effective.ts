// The rules in force for one task, as data. The gate decides from a policy engine in the harness's process, but the
// built-in servers (deny at use: the file actually opened), the sandbox (mounts and network) and worktree tasks enforce
// the same rules in other processes. They all receive this one value, serialised to a file the harness writes
// atomically and passes as `--policy FILE`; nobody re-reads `.tiller/permissions.json` on their own, so a project file
// edited mid-task cannot change what an enforcer believes without the harness (and its consent check) seeing it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomicSync } from '../storage/atomic-sync.js';
import { createPolicyEngine, type ExplainingPolicyEngine } from './engine.js';
import type { RawRules } from './rules.js';

/** The command-line flag of the built-in servers (and the sandbox runner) that names the policy file. */
export const POLICY_FILE_FLAG = '--policy';

export interface EffectivePolicy {
  version: 1;
  /** Real paths of the workspace roots (or of the worktree a task runs in). */
  workspaceRoots: string[];
  /** Decided once by the harness, so every enforcer compares paths the same way. */
  caseInsensitive: boolean;
  /** The user's rules as the engine reads them (an errored set has already lost its allows). */
  userRules: RawRules;
  /**
   * The project's rules that are in force: its deny and ask always; its allow only when the user consented to the
   * file's exact content. Already filtered by the harness: an enforcer never sees an unconsented grant.
   */
  projectRules: RawRules;
}

const rawRules = z
  .object({
    allow: z.array(z.string()).optional(),
    ask: z.array(z.string()).optional(),
    deny: z.array(z.string()).optional(),
  })
  .strict();

const effectiveSchema = z
  .object({
    version: z.literal(1),
    workspaceRoots: z.array(z.string().min(1)).min(1),
    caseInsensitive: z.boolean(),
    userRules: rawRules,
    projectRules: rawRules,
  })
  .strict();

export class EffectivePolicyError extends Error {
  override name = 'EffectivePolicyError';
}

/** Validates a decoded policy; the error names the file and the field that was wrong. */
export function parseEffectivePolicy(text: string, file: string): EffectivePolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EffectivePolicyError(`${file}: the policy file is not JSON (${(e as Error).message})`);
  }
  const parsed = effectiveSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EffectivePolicyError(`${file}: the policy file is malformed at \`${issue?.path.join('.') || '(root)'}\`: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as EffectivePolicy;
}

export function writeEffectivePolicy(file: string, policy: EffectivePolicy): void {
  writeFileAtomicSync(file, `${JSON.stringify(policy)}\n`);
}

export function readEffectivePolicy(file: string): EffectivePolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EffectivePolicyError(`${file}: the policy file cannot be read (${(e as Error).message})`);
  }
  return parseEffectivePolicy(text, file);
}

/** The same engine the gate uses, rebuilt in another process from the harness's value. */
export function engineFromEffective(policy: EffectivePolicy): ExplainingPolicyEngine {
  return createPolicyEngine({
    workspaceRoots: policy.workspaceRoots,
    userRules: policy.userRules,
    projectRules: policy.projectRules,
    caseInsensitive: policy.caseInsensitive,
  });
}
