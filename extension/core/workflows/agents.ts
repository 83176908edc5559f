// Custom agents from Claude Code's `.claude/agents/*.md`, VS Code's `.github/agents/*.agent.md` and older
// `.github/chatmodes/*.chatmode.md`, Tiller's `.tiller/agents/*.md` and the user's `$TILLER_HOME/agents/`. Each is a
// name, a description, a prompt (the body) added to Tiller's own, a tool list that only narrows, and a model role.
import type { AgentProfile } from '../agent/profile.js';
import { parseFrontMatter } from './front-matter.js';
import { listFiles, readWorkflowFile, type WorkflowProblem } from './files.js';
import { agentSources, byPrecedence, type WorkflowRoots, type WorkflowSource } from './sources.js';
import { modelRole, stringField, toolFilter, type ConfiguredModels, type FieldContext } from './fields.js';
import { displaySource } from './commands.js';

/** An agent as loaded: the profile the loop runs, and the file it came from. */
export interface CustomAgent extends AgentProfile {
  path: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const SUFFIX: Partial<Record<WorkflowSource['format'], string>> = {
  'github-agent': '.agent.md',
  'chat-mode': '.chatmode.md',
  'claude-agent': '.md',
  'tiller-agent': '.md',
};

export function loadAgents(roots: WorkflowRoots, models?: ConfiguredModels): { agents: CustomAgent[]; problems: WorkflowProblem[] } {
  const problems: WorkflowProblem[] = [];
  const found: CustomAgent[] = [];
  for (const source of agentSources(roots)) {
    const suffix = SUFFIX[source.format] ?? '.md';
    for (const rel of listFiles(source.dir, (n) => n.endsWith(suffix), false)) {
      const agent = readAgent(source, rel, suffix, roots, models, problems);
      if (agent) found.push(agent);
    }
  }
  const { kept, shadowed } = byPrecedence(found);
  for (const { item, by } of shadowed) {
    problems.push({
      file: item.path,
      line: 1,
      message: `the agent ${item.name} is shadowed by ${by.source} (precedence: user < .github/.claude < .tiller)`,
      severity: 'warning',
    });
  }
  return { agents: kept, problems };
}

function readAgent(
  source: WorkflowSource,
  rel: string,
  suffix: string,
  roots: WorkflowRoots,
  models: ConfiguredModels | undefined,
  problems: WorkflowProblem[],
): CustomAgent | undefined {
  const path = `${source.dir}/${rel}`;
  const read = readWorkflowFile(source.base, path);
  if (!read) return undefined;
  if ('problem' in read) {
    problems.push(read.problem);
    return undefined;
  }
  const parsed = parseFrontMatter(read.text);
  if (!parsed.ok) {
    problems.push({ file: path, line: parsed.line, message: `${parsed.message}; the agent is not loaded`, severity: 'error' });
    return undefined;
  }
  const ctx: FieldContext = { file: path, text: read.text, data: parsed.data, problems };
  const name = stringField(ctx, 'name') ?? rel.slice(0, -suffix.length);
  if (!NAME.test(name)) {
    problems.push({
      file: path,
      line: 1,
      message: `${JSON.stringify(name)} is not a usable agent name (letters, digits, - _ . only); not loaded`,
      severity: 'error',
    });
    return undefined;
  }
  const prompt = parsed.body.trim();
  if (!prompt) {
    problems.push({ file: path, line: parsed.bodyLine, message: 'the agent has no instructions (its body is empty); not loaded', severity: 'error' });
    return undefined;
  }
  const description = stringField(ctx, 'description') ?? '';
  const tools = toolFilter(ctx, 'tools', 'allowed-tools');
  const role = modelRole(ctx, models);
  return {
    name,
    description,
    prompt,
    path,
    source: displaySource(path, source.origin, roots),
    origin: source.origin,
    ...(tools ? { tools } : {}),
    ...(role ? { role } : {}),
  };
}
