// Deny at use. The gate decides from the path the model wrote; what the server then opens can differ (a symlink
// swapped between decision and open, a hard link to `.env` under an innocent name). So the workspace server decides
// again on what it really opened, from the same rules: the harness's effective policy (`--policy FILE`, re-read when
// the harness rewrites it), or the default denies when started without one. Listings and searches are filtered by
// the same decision, and say nothing about what they left out.
import { constants, lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { engineFromEffective, readEffectivePolicy } from '../../extension/core/policy/effective.js';
import { createPolicyEngine } from '../../extension/core/policy/engine.js';
import { NAMED } from '../../extension/core/policy/file-decision.js';
import type { PolicyEngine } from '../../extension/core/policy/types.js';

/** Flags for opening a file to read: never through a symlink in the last component, never blocking on a FIFO. */
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface UseDenial {
  rule: string;
  reason: string;
}

export interface UsePolicy {
  /** Why reading the file at this real absolute path is denied, or undefined when it is not. */
  deniedRead(abs: string, stats?: Stats): UseDenial | undefined;
  /** Whether a listing or search may mention this entry at all. */
  visible(abs: string, isDir: boolean): boolean;
}

export const HARD_LINK_RULE = 'builtin: hard link to a denied file';
const OUTSIDE_RULE = NAMED.outside;
const MAX_LINK_SCAN = 50_000;
const LINK_INDEX_TTL_MS = 3_000;
const SKIPPED = new Set(['.git', 'node_modules']);

/** Files outside the workspace that a hard link inside it could expose (the same file system is enough). */
function homeSecrets(): string[] {
  const home = homedir();
  const fixed = [
    '.aws/credentials',
    '.aws/config',
    '.netrc',
    '.git-credentials',
    '.pgpass',
    '.my.cnf',
    '.s3cfg',
    '.vault-token',
    '.dockercfg',
    '.docker/config.json',
    '.kube/config',
    '.npmrc',
    '.yarnrc',
    '.yarnrc.yml',
    '.pypirc',
    '.config/gh/hosts.yml',
    '.config/gcloud/application_default_credentials.json',
    '.gnupg/secring.gpg',
  ].map((p) => join(home, p));
  let ssh: string[] = [];
  try {
    ssh = readdirSync(join(home, '.ssh')).map((n) => join(home, '.ssh', n));
  } catch {
    // no ~/.ssh
  }
  return [...fixed, ...ssh];
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

/** Engine from the policy file, re-read whenever the harness replaced it (atomic rename: a new inode). */
function policyEngine(root: string, file: string | undefined, log: (line: string) => void): () => PolicyEngine {
  if (file === undefined) {
    const fallback = createPolicyEngine({ workspaceRoots: [root] });
    return () => fallback;
  }
  let engine = engineFromEffective(readEffectivePolicy(file)); // a policy that cannot be read stops the server
  let signature = '';
  let reported = '';
  const sign = () => {
    const st = statSync(file);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  };
  signature = sign();
  return () => {
    try {
      const now = sign();
      if (now !== signature) {
        engine = engineFromEffective(readEffectivePolicy(file));
        signature = now;
      }
    } catch (e) {
      // Keep the last good rules (the harness wrote them); a broken rewrite is reported once, never a reason to allow
      // more.
      const message = (e as Error).message;
      if (message !== reported) log(`the policy file could not be re-read, keeping the previous rules: ${message}`);
      reported = message;
    }
    return engine;
  };
}

export function createUsePolicy(root: string, policyFile: string | undefined, log: (line: string) => void = () => {}): UsePolicy {
  const engine = policyEngine(root, policyFile, log);

  const byRule = (abs: string): UseDenial | undefined => {
    const d = engine().decide({ kind: 'read', path: abs });
    return d.decision === 'deny' ? { rule: d.rule, reason: d.reason } : undefined;
  };

  // The workspace's files with more than one name, by device and inode, reused for a few seconds: a search over a
  // tree of hard links (`cp -al`) must not walk the workspace once per file. A file with more names than the index
  // knows makes it rebuild at once (below), so a link made after the index was built is still found.
  let index: { at: number; engine: PolicyEngine; byInode: Map<string, string[]>; complete: boolean } | undefined;
  const linkedNames = (fresh: boolean): { byInode: Map<string, string[]>; complete: boolean; rebuilt: boolean } => {
    const current = engine();
    if (!fresh && index && index.engine === current && Date.now() - index.at < LINK_INDEX_TTL_MS) return { ...index, rebuilt: false };
    const byInode = new Map<string, string[]>();
    let seen = 0;
    let complete = true;
    const stack = [root];
    while (stack.length > 0 && complete) {
      const dir = stack.pop()!;
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (++seen > MAX_LINK_SCAN) {
          complete = false;
          break;
        }
        const child = join(dir, name);
        let cst: Stats;
        try {
          cst = lstatSync(child);
        } catch {
          continue;
        }
        if (cst.isDirectory()) {
          if (!SKIPPED.has(name)) stack.push(child);
        } else if (cst.isFile() && cst.nlink > 1) {
          const key = `${cst.dev}:${cst.ino}`;
          byInode.set(key, [...(byInode.get(key) ?? []), child]);
        }
      }
    }
    index = { at: Date.now(), engine: current, byInode, complete };
    return { ...index, rebuilt: true };
  };

  /** A file with more than one name is denied when any other name is: the content is the same. */
  const hardLinkDenial = (abs: string, st: Stats): UseDenial | undefined => {
    if (!st.isFile() || st.nlink <= 1) return undefined;
    for (const secret of homeSecrets()) {
      try {
        if (sameFile(statSync(secret), st)) return { rule: HARD_LINK_RULE, reason: `${abs} is a hard link to ${secret}, which is outside the workspace` };
      } catch {
        // not there
      }
    }
    let linked = linkedNames(false);
    // Fewer names in the index than the file has: the index may predate the link (`ln .env x` a moment ago, when
    // `.env` still had one name and was not indexed). Look again, now.
    if (!linked.rebuilt && (linked.byInode.get(`${st.dev}:${st.ino}`)?.length ?? 0) < st.nlink) linked = linkedNames(true);
    const { byInode, complete } = linked;
    for (const other of byInode.get(`${st.dev}:${st.ino}`) ?? []) {
      if (other === abs) continue;
      const denied = byRule(other);
      if (denied) return { rule: HARD_LINK_RULE, reason: `${abs} is a hard link to ${other}, denied by \`${denied.rule}\`` };
    }
    if (!complete) return { rule: HARD_LINK_RULE, reason: `${abs} has other names (hard links) that could not all be checked` };
    return undefined;
  };

  return {
    deniedRead(abs, stats) {
      const direct = byRule(abs);
      if (direct) return direct;
      let st = stats;
      if (st === undefined) {
        try {
          st = statSync(abs);
        } catch {
          return undefined;
        }
      }
      return hardLinkDenial(abs, st);
    },
    visible(abs, isDir) {
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch {
        return true; // gone: nothing to show anyway
      }
      const denied = byRule(abs);
      // A symlink that leads out of the workspace is listed by its own name (reading it is still denied); one that
      // leads to a denied file, or is named like one, is not.
      if (denied) return st.isSymbolicLink() && denied.rule === OUTSIDE_RULE;
      return isDir || hardLinkDenial(abs, st) === undefined;
    },
  };
}
