// Applies an approved change set in VS Code through one WorkspaceEdit, so the change is a single step the user can
// undo, open editors update in place, and nothing is half-written. Before building the edit every file's bytes on disk
// are compared with the hash the proposal was made against: a file that changed since the diff was shown (on disk, or
// with unsaved edits in an editor) is reported as a conflict and left alone, so the model re-reads it and proposes
// again instead of overwriting someone's work.
import type * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import type { EditApplier } from '../core/ports.js';
import type { ApplyResult, ChangeSet, FileChange } from '../core/edits/types.js';
import { sha256Hex } from '../core/edits/hash.js';
import { resolveForPolicy } from '../core/policy/paths.js';

type VscodeApi = Pick<typeof vscode, 'workspace' | 'Uri' | 'WorkspaceEdit' | 'Range' | 'TextEdit' | 'EndOfLine'>;

interface Planned {
  change: FileChange;
  uri: vscode.Uri;
}

class Refused extends Error {
  constructor(
    message: string,
    readonly conflicts: string[] = [],
  ) {
    super(message);
  }
}

export function createWorkspaceEditApplier(api: VscodeApi, workspaceRoot: string): EditApplier {
  function resolve(change: FileChange): string {
    if (typeof change.path !== 'string' || change.path === '' || change.path.startsWith('/') || /^[A-Za-z]:/.test(change.path)) {
      throw new Refused(`\`${String(change.path)}\` is not a workspace-relative path`);
    }
    const resolved = resolveForPolicy([workspaceRoot], change.path, { cwd: workspaceRoot });
    if (!resolved.ok) throw new Refused(`\`${change.path}\`: ${resolved.reason}`);
    if (resolved.root === undefined || resolved.relative === '') throw new Refused(`\`${change.path}\` is outside the workspace`);
    return resolved.absolute;
  }

  async function currentHash(target: string): Promise<string | null> {
    try {
      const stat = await fsp.lstat(target);
      if (!stat.isFile()) throw new Refused(`\`${target}\` is not a regular file`);
      return sha256Hex(await fsp.readFile(target));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async function verify(changeSet: ChangeSet): Promise<Planned[]> {
    if (!changeSet || !Array.isArray(changeSet.files) || changeSet.files.length === 0) throw new Refused('the change set has no files');
    const planned: Planned[] = [];
    const conflicts: string[] = [];
    const seen = new Set<string>();
    for (const change of changeSet.files) {
      const target = resolve(change);
      if (seen.has(target)) throw new Refused(`\`${change.path}\` appears twice in the change set`);
      seen.add(target);
      const uri = api.Uri.file(target);
      const open = api.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
      // Unsaved edits are the user's work in progress: the proposal was made without them.
      if (open?.isDirty || (await currentHash(target)) !== change.baseHash) conflicts.push(change.path);
      planned.push({ change, uri });
    }
    if (conflicts.length) {
      throw new Refused(`${conflicts.length} file(s) changed since the change was proposed: ${conflicts.join(', ')}`, conflicts);
    }
    return planned;
  }

  async function build(planned: Planned[], label: string): Promise<{ edit: vscode.WorkspaceEdit; toSave: vscode.Uri[] }> {
    const edit = new api.WorkspaceEdit();
    const meta = { label, needsConfirmation: false };
    const toSave: vscode.Uri[] = [];
    for (const { change, uri } of planned) {
      if (change.newContent === null) {
        edit.deleteFile(uri, { ignoreIfNotExists: false }, meta);
      } else if (change.baseHash === null) {
        edit.createFile(uri, { overwrite: false, contents: Buffer.from(change.newContent, 'utf8') }, meta);
      } else {
        const eol = lineEndingOf(change.newContent);
        if (eol === 'mixed') {
          // A text edit would normalise mixed line endings; writing the bytes keeps them exactly as proposed.
          edit.createFile(uri, { overwrite: true, contents: Buffer.from(change.newContent, 'utf8') }, meta);
          continue;
        }
        const doc = await api.workspace.openTextDocument(uri);
        const whole = new api.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
        const edits = [api.TextEdit.replace(whole, change.newContent)];
        if (eol) edits.push(api.TextEdit.setEndOfLine(eol === 'crlf' ? api.EndOfLine.CRLF : api.EndOfLine.LF));
        edit.set(uri, edits);
        toSave.push(uri);
      }
    }
    return { edit, toSave };
  }

  return {
    async apply(changeSet: ChangeSet): Promise<ApplyResult> {
      let planned: Planned[];
      let built: { edit: vscode.WorkspaceEdit; toSave: vscode.Uri[] };
      try {
        planned = await verify(changeSet);
        built = await build(planned, `Tiller: ${changeSet.description ?? 'apply edit'}`.slice(0, 120));
      } catch (e) {
        if (e instanceof Refused) return { ok: false, error: e.message, conflicts: e.conflicts };
        return { ok: false, error: `applying failed: ${(e as Error).message}`, conflicts: [] };
      }
      const applied = await api.workspace.applyEdit(built.edit, { isRefactoring: false });
      if (!applied) return { ok: false, error: 'VS Code did not apply the edit (a file may have changed meanwhile); nothing was written', conflicts: [] };
      for (const uri of built.toSave) {
        const doc = api.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
        if (doc?.isDirty && !(await doc.save())) {
          return { ok: false, error: `the edit was applied in the editor but ${api.workspace.asRelativePath(uri)} could not be saved`, conflicts: [] };
        }
      }
      return { ok: true, files: planned.map((p) => p.change.path) };
    },
  };
}

/** The line ending a text edit should leave the document with; undefined when the content has no line break. */
export function lineEndingOf(text: string): 'lf' | 'crlf' | 'mixed' | undefined {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const cr = (text.match(/\r/g) ?? []).length - crlf;
  if (cr > 0 || (crlf > 0 && lf > 0)) return 'mixed';
  if (crlf > 0) return 'crlf';
  return lf > 0 ? 'lf' : undefined;
}
