// Skills, the cross-vendor `SKILL.md` format: a folder under `.claude/skills/`, `.github/skills/`, `.tiller/skills/`
// or `$TILLER_HOME/skills/` holding `SKILL.md` (front matter `name` and `description`, then instructions) and any
// files it refers to. Only name and description enter the prompt; the model loads the body and the files on demand
// (the `load_skill` tool), each read decided by the permission rules like any other read.
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import type { SkillLibrary, SkillSummary } from '../agent/profile.js';
import { readWorkflowDocument } from './document.js';
import { parseFrontMatter } from './front-matter.js';
import { isInside, listFiles, listFolders, readWorkflowFile, type WorkflowProblem } from './files.js';
import { displaySource, keepByPrecedence, skillSources, type WorkflowRoots } from './sources.js';
import { stringField } from './fields.js';

export interface Skill extends SkillSummary {
  /** Absolute path of SKILL.md. */
  path: string;
  /** The skill's folder: its files are read from here and nowhere else. */
  dir: string;
}

export const SKILL_FILE = 'SKILL.md';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Longest description kept in the prompt: it is there on every call. */
const MAX_DESCRIPTION = 1024;

export function loadSkills(roots: WorkflowRoots): { skills: Skill[]; problems: WorkflowProblem[] } {
  const problems: WorkflowProblem[] = [];
  const found: Skill[] = [];
  for (const source of skillSources(roots)) {
    for (const folder of listFolders(source.dir)) {
      const dir = join(source.dir, folder);
      const path = join(dir, SKILL_FILE);
      const doc = readWorkflowDocument(source.base, path, 'skill', problems);
      if (!doc) continue;
      const { ctx } = doc;
      const name = stringField(ctx, 'name') ?? folder;
      const description = stringField(ctx, 'description');
      if (!NAME.test(name)) {
        problems.push({ file: path, line: 1, message: `${JSON.stringify(name)} is not a usable skill name; not loaded`, severity: 'error' });
        continue;
      }
      if (!description) {
        // The description is how the model decides to load it: without one the skill can never be chosen well.
        problems.push({ file: path, line: 1, message: 'the skill has no description in its front matter; not loaded', severity: 'error' });
        continue;
      }
      found.push({
        name,
        description: description.slice(0, MAX_DESCRIPTION),
        source: displaySource(path, source.origin, roots),
        origin: source.origin,
        path,
        dir,
      });
    }
  }
  return { skills: keepByPrecedence(found, (item) => `the skill ${item.name}`, problems), problems };
}

/** The loop's view of the skills: where a name's files are, and reading one (after the policy allowed it). */
export function skillLibrary(skills: readonly Skill[]): SkillLibrary {
  const byName = new Map(skills.map((s) => [s.name, s]));
  const summary = (s: Skill): SkillSummary => ({ name: s.name, description: s.description, source: s.source, origin: s.origin });
  return {
    list: () => skills.map(summary),
    locate(name, file) {
      const skill = byName.get(name);
      if (!skill) return { error: `no skill named ${JSON.stringify(name)}; the skills are: ${skills.map((s) => s.name).join(', ') || '(none)'}` };
      const rel = (file ?? SKILL_FILE).replace(/\\/g, '/');
      if (!rel || rel.startsWith('/') || rel.split('/').includes('..') || /^[A-Za-z]:/.test(rel))
        return { error: `file must be a path inside the skill's folder, not ${JSON.stringify(file)}` };
      return { path: join(skill.dir, rel), skill: summary(skill) };
    },
    read(path) {
      const skill = skills.find((s) => isInside(s.dir, path));
      if (!skill) return { error: 'not a file of a skill' };
      let dirReal: string;
      try {
        dirReal = realpathSync(skill.dir);
      } catch {
        return { error: 'the skill folder is gone' };
      }
      const read = readWorkflowFile(dirReal, path);
      if (!read)
        return {
          error: `${path.slice(skill.dir.length + 1)} does not exist in the skill ${skill.name}; its files are: ${listFiles(skill.dir, () => true, true).join(', ')}`,
        };
      if ('problem' in read) return { error: read.problem.message };
      if (path === skill.path) {
        const parsed = parseFrontMatter(read.text);
        const body = parsed.ok ? parsed.body.trim() : read.text;
        const others = listFiles(skill.dir, (n) => n !== SKILL_FILE, true).filter((f) => f !== SKILL_FILE);
        return { text: others.length ? `${body}\n\n[Files of this skill, loadable with load_skill {name, file}: ${others.join(', ')}]` : body };
      }
      return { text: read.text };
    },
  };
}
