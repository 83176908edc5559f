// Checkpoints in a shadow git repository that lives outside the workspace (`<storeDir>/<hash of the workspace path>`)
// and uses the workspace as its work tree. The user's own `.git` is never read or written (git itself skips `.git`
// folders of a work tree), the workspace's .gitignore decides what is copied (node_modules stays out), and a snapshot
// covers whatever changed — edits, and files a shell command wrote.
import { createHash } from 'node:crypto';
import { promises as fsp, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { gitEnvironment, runGit, type GitResult } from './git-runner.js';
import type { CheckpointInfo, RestoreResult, ShadowCheckpointer } from './types.js';
import { withFileLock } from '../../storage/file-lock.js';

export interface ShadowCheckpointerOptions {
  /** Folder holding one shadow repository per workspace, e.g. `$TILLER_HOME/checkpoints`. Must be outside the workspace. */
  storeDir: string;
  /** Milliseconds since the epoch; tests pin it. */
  now?: () => number;
}

const META_PREFIX = 'Tiller-Meta: ';
/** Bytes git must never convert: without this a workspace's .gitattributes (eol, filters) could change restored files. */
const SHADOW_ATTRIBUTES = '* -text -filter -ident -working-tree-encoding\n';

interface Meta {
  kind: CheckpointInfo['kind'];
  files?: string[];
  command?: string;
  userHead: string | null;
  createdAt: number;
}

export function workspaceHash(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 16);
}

export function createShadowCheckpointer(workspaceRoot: string, options: ShadowCheckpointerOptions): ShadowCheckpointer {
  const root = realpathSync(workspaceRoot);
  const store = path.resolve(options.storeDir);
  const relative = path.relative(root, store);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(`the checkpoint store ${store} is inside the workspace ${root}; it must be outside it`);
  }
  const gitDir = path.join(store, workspaceHash(root));
  const now = options.now ?? Date.now;
  const env = gitEnvironment({ GIT_DIR: gitDir, GIT_WORK_TREE: root });
  const git = (args: string[], extra: { input?: string; okCodes?: number[] } = {}): Promise<GitResult> => runGit(args, { cwd: root, env, ...extra });

  let ready: Promise<void> | undefined;
  // One git operation at a time: they share the shadow index — within this process by the queue, and across
  // processes (two windows on one workspace, a CLI run beside them) by a lock file beside the shadow repository.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(job: () => Promise<T>): Promise<T> {
    const locked = async () => {
      await fsp.mkdir(store, { recursive: true, mode: 0o700 });
      return withFileLock(gitDir, job, { timeoutMs: 120_000, staleMs: 10 * 60_000 });
    };
    const next = queue.then(locked, locked);
    queue = next.catch(() => undefined);
    return next;
  }

  async function init(): Promise<void> {
    await fsp.mkdir(gitDir, { recursive: true, mode: 0o700 });
    const exists = await fsp.stat(path.join(gitDir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) await git(['init', '--quiet']);
    await fsp.mkdir(path.join(gitDir, 'info'), { recursive: true });
    await fsp.writeFile(path.join(gitDir, 'info', 'attributes'), SHADOW_ATTRIBUTES);
  }
  const ensureReady = (): Promise<void> => {
    ready ??= init().catch((e: unknown) => {
      ready = undefined;
      throw e;
    });
    return ready;
  };

  async function userHead(): Promise<string | null> {
    // The user's repository, found the usual way from the workspace folder (no GIT_DIR).
    const userEnv = gitEnvironment({});
    const r = await runGit(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: root, env: userEnv, okCodes: [1, 128] });
    if (r.code === 0) return r.stdout.toString('utf8').trim();
    if (r.code === 1) return 'unborn';
    return null;
  }

  async function snapshot(meta: Omit<Meta, 'createdAt' | 'userHead'>): Promise<string> {
    await ensureReady();
    const full: Meta = { ...meta, userHead: await userHead(), createdAt: now() };
    await git(['add', '--all', '--', '.']);
    const message = `${summaryOf(full)}\n\n${META_PREFIX}${JSON.stringify(full)}\n`;
    await git(['commit', '--quiet', '--allow-empty', '--no-verify', '--no-gpg-sign', '-F', '-'], { input: message });
    return (await git(['rev-parse', 'HEAD'])).stdout.toString('utf8').trim();
  }

  async function list(): Promise<CheckpointInfo[]> {
    await ensureReady();
    const hasHead = await git(['rev-parse', '--verify', '-q', 'HEAD'], { okCodes: [1] });
    if (hasHead.code !== 0) return [];
    const log = await git(['log', '--format=%H%x00%B%x1e']);
    const out: CheckpointInfo[] = [];
    for (const record of log.stdout.toString('utf8').split('\x1e')) {
      const [id, body] = record.replace(/^\n/, '').split('\0');
      if (!id || !body) continue;
      const meta = parseMeta(body);
      if (!meta) continue;
      out.push({
        id,
        createdAt: meta.createdAt,
        kind: meta.kind,
        summary: summaryOf(meta),
        ...(meta.files ? { files: meta.files } : {}),
        ...(meta.command !== undefined ? { command: meta.command } : {}),
        userHead: meta.userHead,
      });
    }
    return out;
  }

  async function restore(id: string): Promise<RestoreResult> {
    if (!/^[0-9a-f]{40,64}$/.test(id)) return { ok: false, reason: `\`${id}\` is not a checkpoint id` };
    const target = (await list()).find((c) => c.id === id);
    if (!target) return { ok: false, reason: `there is no checkpoint ${id.slice(0, 12)} for this workspace` };
    if (target.userHead !== null) {
      const current = await userHead();
      if (current !== target.userHead) {
        return {
          ok: false,
          reason:
            `you have committed to your repository since this checkpoint (HEAD was ${short(target.userHead)}, now ${short(current)}). ` +
            'Restoring would silently undo work that is part of your history; use git to go back instead.',
        };
      }
    }
    const backup = await snapshot({ kind: 'restore', command: `restore ${id.slice(0, 12)}` });
    const diff = await git(['diff', '--name-status', '--no-renames', '-z', id, backup]);
    const restoreFromCheckpoint: string[] = [];
    const removeNow: string[] = [];
    const fields = diff.stdout
      .toString('utf8')
      .split('\0')
      .filter((f) => f !== '');
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const status = fields[i]!;
      const file = fields[i + 1]!;
      if (status === 'A') removeNow.push(file);
      else restoreFromCheckpoint.push(file);
    }
    for (const file of removeNow) await removeCreated(root, file);
    await removeEmptyCreatedDirs(removeNow);
    if (restoreFromCheckpoint.length) {
      await git(['checkout', '--quiet', id, '--pathspec-from-file=-', '--pathspec-file-nul'], { input: restoreFromCheckpoint.join('\0') + '\0' });
    }
    return { ok: true, restored: restoreFromCheckpoint, removed: removeNow, backup };

    async function removeEmptyCreatedDirs(files: string[]): Promise<void> {
      if (!files.length) return;
      const tree = await git(['ls-tree', '-r', '-d', '--name-only', '-z', id]);
      const existed = new Set(tree.stdout.toString('utf8').split('\0'));
      const dirs = new Set<string>();
      for (const f of files) for (let d = path.posix.dirname(f); d !== '.' && d !== '/'; d = path.posix.dirname(d)) dirs.add(d);
      // Deepest first, so a parent is empty once its children are gone.
      for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
        if (existed.has(d)) continue;
        await fsp.rmdir(path.join(root, d)).catch(() => undefined);
      }
    }
  }

  return {
    gitDir,
    beforeChange: (change) =>
      serial(() => snapshot(change.kind === 'edit' ? { kind: 'edit', files: change.files } : { kind: 'shell', command: change.command })),
    list: () => serial(list),
    restore: (id) => serial(() => restore(id)),
  };
}

async function removeCreated(root: string, file: string): Promise<void> {
  const target = path.join(root, ...file.split('/'));
  // git names paths inside the work tree; refuse anything that would resolve elsewhere all the same.
  const rel = path.relative(root, target);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`refusing to remove ${file}: outside the workspace`);
  await fsp.rm(target, { force: true });
}

function short(head: string | null): string {
  if (head === null) return 'no repository';
  return head === 'unborn' ? 'no commits' : head.slice(0, 12);
}

function summaryOf(meta: Pick<Meta, 'kind' | 'files' | 'command'>): string {
  if (meta.kind === 'edit') {
    const files = meta.files ?? [];
    const shown = files.slice(0, 3).join(', ');
    return `Before editing ${shown}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`;
  }
  if (meta.kind === 'shell') return `Before running \`${oneLine(meta.command ?? '')}\``;
  return `Before ${meta.command ?? 'restore'}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

function parseMeta(body: string): Meta | undefined {
  const line = body.split('\n').find((l) => l.startsWith(META_PREFIX));
  if (!line) return undefined;
  try {
    const value = JSON.parse(line.slice(META_PREFIX.length)) as Partial<Meta>;
    if (value.kind !== 'edit' && value.kind !== 'shell' && value.kind !== 'restore') return undefined;
    if (typeof value.createdAt !== 'number') return undefined;
    return {
      kind: value.kind,
      createdAt: value.createdAt,
      userHead: typeof value.userHead === 'string' ? value.userHead : null,
      ...(Array.isArray(value.files) ? { files: value.files.filter((f): f is string => typeof f === 'string') } : {}),
      ...(typeof value.command === 'string' ? { command: value.command } : {}),
    };
  } catch {
    return undefined;
  }
}
