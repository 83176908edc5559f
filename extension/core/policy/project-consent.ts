// A repository restricts freely and grants only with consent. The deny and ask rules of `.tiller/permissions.json`
// apply at once; its allow rules apply only after the user agreed to that file's exact content, pinned by the hash of
// its bytes in the one consent store (storage/consent-store.ts, the same store, prompt and CLI flag as workspace MCP
// servers). Any edit to the file — by the repository, a checkout, or the agent — asks again; Tiller's own "Always"
// write re-pins the consent it already had (repinProjectRules).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConsentStore, type AskConsent, type ConsentRequest, type ConsentSubject } from '../storage/consent-store.js';
import { parseProjectRules, PROJECT_RULES_FILE, type LoadedRules } from './load.js';
import type { RawRules } from './rules.js';

/** The consent-store name of a workspace's rule file, forward slashes whatever the platform. */
export const PROJECT_RULES_NAME = '.tiller/permissions.json';

export interface ProjectRules extends LoadedRules {
  file: string;
  /** sha256 of the file's bytes; undefined when there is no file. */
  hash: string | undefined;
  /** The rules the engine and every enforcer get: deny and ask always, allow only when consented. */
  inForce: RawRules;
  /** Allow rules that are written but not in force, because the user has not agreed to this content. */
  unconsentedAllows: string[];
}

function hashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function subjectFor(workspace: string, hash: string): ConsentSubject {
  return { workspace, kind: 'project-rules', name: PROJECT_RULES_NAME, hash };
}

/** Reads the file and applies the consent already stored; asks nobody. */
export function readProjectRules(workspace: string, store: ConsentStore | undefined): ProjectRules {
  const file = path.join(workspace, PROJECT_RULES_FILE);
  let bytes: Buffer | undefined;
  let loaded: LoadedRules;
  try {
    bytes = fs.readFileSync(file);
    loaded = parseProjectRules(bytes.toString('utf8').replace(/^\uFEFF/, ''), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    loaded = { rules: {}, errors: [] };
  }
  const hash = bytes ? hashOf(bytes) : undefined;
  const allows = loaded.errors.length === 0 ? (loaded.rules.allow ?? []) : [];
  const consented = allows.length > 0 && hash !== undefined && store !== undefined && store.has(subjectFor(workspace, hash));
  const { allow: _allow, ...restrictions } = loaded.rules;
  return {
    ...loaded,
    file,
    hash,
    inForce: consented ? loaded.rules : restrictions,
    unconsentedAllows: consented ? [] : allows,
  };
}

export function projectRulesConsentRequest(workspace: string, rules: ProjectRules): ConsentRequest {
  return {
    kind: 'project-rules',
    name: PROJECT_RULES_NAME,
    origin: PROJECT_RULES_NAME,
    workspace,
    wants: `allow these actions without asking (its deny and ask rules already apply)`,
    shown: rules.unconsentedAllows.map((r) => `allow ${visible(r)}`),
    question: 'Allow them?',
    agree: 'Allow',
  };
}

export interface ProjectConsentOptions {
  store: ConsentStore;
  /** Asks the user; without it unconsented allows simply stay out of force. */
  ask?: AskConsent;
  /** Store a given consent (default true); false for a one-off such as a CLI flag. */
  remember?: boolean;
}

/**
 * Reads the file and, when it has allow rules the user has not agreed to, asks. The answer covers this exact
 * content; a yes is stored unless `remember` is false (then it holds for this reading only).
 */
export async function projectRulesWithConsent(workspace: string, options: ProjectConsentOptions): Promise<ProjectRules> {
  const rules = readProjectRules(workspace, options.store);
  if (rules.unconsentedAllows.length === 0 || !options.ask || rules.hash === undefined) return rules;
  const request = projectRulesConsentRequest(workspace, rules);
  if (!(await options.ask(request))) return rules;
  if (options.remember !== false) options.store.grant(subjectFor(workspace, rules.hash), request.shown.join('\n'));
  return { ...rules, inForce: rules.rules, unconsentedAllows: [] };
}

/**
 * After Tiller itself rewrote the file (an "Always" answer): the consent moves to the new content when the old
 * content was agreed to, or had no allow rule to agree to (so nothing the repository wrote is granted by it).
 * Otherwise the repository's own allows are still waiting for consent and the next reading asks about them all.
 */
export function repinProjectRules(workspace: string, home: string, before: Buffer | undefined, after: Buffer): boolean {
  const store = new ConsentStore(home);
  const beforeRules = before === undefined ? undefined : parseProjectRules(before.toString('utf8').replace(/^\uFEFF/, ''), 'before');
  const hadAllows = (beforeRules?.errors.length ?? 0) === 0 && (beforeRules?.rules.allow?.length ?? 0) > 0;
  const agreed = before === undefined || !hadAllows || store.has(subjectFor(workspace, hashOf(before)));
  if (!agreed) return false;
  store.grant(subjectFor(workspace, hashOf(after)), 'written by Tiller ("Always")');
  return true;
}

function visible(rule: string): string {
  return rule.replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be shown
    /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
