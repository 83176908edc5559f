// The rules in force for one harness session, kept in one place for every enforcer: the gate's engine in this
// process, and the effective-policy file the built-in servers (deny at use) and the sandbox read through
// `--policy FILE`. Project allows enter only with consent (project-consent.ts). When the rules change — an "Always"
// answer wrote `.tiller/permissions.json` — `reload()` re-reads them, swaps the engine and rewrites the file
// atomically, so the gate and the servers never disagree for longer than one call.
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AskConsent } from '../storage/consent-store.js';
import { ConsentStore } from '../storage/consent-store.js';
import { writeEffectivePolicy, type EffectivePolicy } from './effective.js';
import { createPolicyEngine, type ExplainingPolicyEngine } from './engine.js';
import { detectCaseInsensitive } from './paths.js';
import { projectRulesWithConsent, readProjectRules, type ProjectRules } from './project-consent.js';
import { parseRuleSet, type RawRules } from './rules.js';
import { claudeRulesWithConsent, readClaudeRules, unionRules, type ClaudeRules } from './claude-permissions.js';
import { homedir } from 'node:os';

export interface LivePolicyOptions {
  root: string;
  /** Where `.tiller/permissions.json` is read from (a worktree task's base tree); defaults to root. */
  configRoot?: string;
  home: string;
  userRules?: RawRules;
  /** Where the effective policy is written (the session's folder under TILLER_HOME). */
  policyFile: string;
  consent?: { ask?: AskConsent; remember?: boolean };
  warn: (message: string) => void;
  /** Where `~` in `.claude/settings.json` rules points; the process's home when omitted. */
  userHome?: string;
}

export interface LivePolicy {
  /** Delegates to the engine in force now; hand this one to the gate and the edit applier. */
  readonly engine: ExplainingPolicyEngine;
  readonly policyFile: string;
  /** Problems found when the rules were last read, for the user to see. */
  readonly warnings: string[];
  /** Re-reads the rules (after an "Always" write) and rewrites the policy file. */
  reload(): void;
  /** The value last written. */
  effective(): EffectivePolicy;
  close(): void;
}

/** A user set with errors keeps only its asks and denies (the engine does the same): an enforcer gets no more. */
export function restrictionsIfBroken(raw: RawRules): RawRules {
  if (parseRuleSet(raw, 'user').errors.length === 0) return raw;
  const ok = (list: 'deny' | 'ask') => (raw[list] ?? []).filter((r) => typeof r === 'string' && parseRuleSet({ [list]: [r] }, 'user').errors.length === 0);
  return { deny: ok('deny'), ask: ok('ask') };
}

function describeClaude(claude: ClaudeRules): string[] {
  const out = [...claude.warnings];
  if (claude.unconsentedAllows.length > 0) {
    out.push(
      `${claude.file}: its allow rules are not in force (${claude.unconsentedAllows.join(', ')}): you have not agreed to them; its deny and ask rules apply. Agree when asked, or run the CLI with --trust-workspace-config.`,
    );
  }
  return out;
}

function describe(project: ProjectRules): string[] {
  const out = project.errors.map((e) => e.message);
  if (project.unconsentedAllows.length > 0) {
    out.push(
      `${project.file}: its allow rules are not in force (${project.unconsentedAllows.join(', ')}): you have not agreed to this file's content; its deny and ask rules apply. Agree when asked, or run the CLI with --trust-workspace-config.`,
    );
  }
  return out;
}

export async function createLivePolicy(options: LivePolicyOptions): Promise<LivePolicy> {
  const store = new ConsentStore(options.home, options.warn);
  const userRules = restrictionsIfBroken(options.userRules ?? {});
  const caseInsensitive = detectCaseInsensitive(options.root);
  const configRoot = options.configRoot ?? options.root;
  let project = await projectRulesWithConsent(configRoot, {
    store,
    ...(options.consent?.ask ? { ask: options.consent.ask } : {}),
    remember: options.consent?.remember !== false,
  });
  // A one-off agreement (remember: false) holds for the whole session, even across reloads.
  const agreedOnce = project.unconsentedAllows.length === 0 && project.hash !== undefined && (project.rules.allow?.length ?? 0) > 0 ? project.hash : undefined;
  // `.claude/settings.json`'s permissions are project rules too, with their own consent (claude-permissions.ts).
  const userHome = options.userHome ?? process.env.HOME ?? homedir();
  let claude = await claudeRulesWithConsent(options.root, userHome, {
    store,
    ...(options.consent?.ask ? { ask: options.consent.ask } : {}),
    remember: options.consent?.remember !== false,
  });
  const claudeAgreedOnce = claude.unconsentedAllows.length === 0 && claude.hash !== undefined ? claude.hash : undefined;
  let current: ExplainingPolicyEngine;
  let value: EffectivePolicy;
  let warnings: string[] = [];

  const build = () => {
    const userErrors = createPolicyEngine({ workspaceRoots: [options.root], userRules: options.userRules ?? {}, caseInsensitive }).errors.map(
      (e) => `tiller.permissions: ${e.message}; its allow rules are ignored`,
    );
    warnings = [...describe(project), ...describeClaude(claude), ...userErrors];
    value = { version: 1, workspaceRoots: [options.root], caseInsensitive, userRules, projectRules: unionRules(project.inForce, claude.inForce) };
    current = createPolicyEngine({ workspaceRoots: value.workspaceRoots, userRules: value.userRules, projectRules: value.projectRules, caseInsensitive });
    mkdirSync(dirname(options.policyFile), { recursive: true, mode: 0o700 });
    writeEffectivePolicy(options.policyFile, value);
  };
  build();
  for (const w of warnings) options.warn(w);

  const engine: ExplainingPolicyEngine = {
    decide: (action) => current.decide(action),
    explain: (action) => current.explain(action),
    get errors() {
      return current.errors;
    },
  };
  return {
    engine,
    policyFile: options.policyFile,
    get warnings() {
      return warnings;
    },
    reload() {
      const next = readProjectRules(configRoot, store);
      project = agreedOnce !== undefined && next.hash === agreedOnce ? { ...next, inForce: next.rules, unconsentedAllows: [] } : next;
      const nextClaude = readClaudeRules(options.root, userHome, store);
      claude =
        claudeAgreedOnce !== undefined && nextClaude.hash === claudeAgreedOnce
          ? { ...nextClaude, inForce: nextClaude.rules, unconsentedAllows: [] }
          : nextClaude;
      build();
    },
    effective: () => value,
    close() {
      rmSync(options.policyFile, { force: true });
      try {
        rmdirSync(dirname(options.policyFile)); // the session's folder, when nothing else was left in it
      } catch {
        // not empty, or already gone
      }
    },
  };
}
