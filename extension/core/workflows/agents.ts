// Custom agents from Claude Code's `.claude/agents/*.md`, VS Code's `.github/agents/*.agent.md` and older
// `.github/chatmodes/*.chatmode.md`, Tiller's `.tiller/agents/*.md` and the user's `$TILLER_HOME/agents/`. Each is a
// name, a description, a prompt (the body) added to Tiller's own, a tool list that only narrows, and a model role.
import type { AgentProfile } from '../agent/profile.js';
import { readWorkflowDocument } from './document.js';
import { listFiles, type WorkflowProblem } from './files.js';
import { agentSources, displaySource, keepByPrecedence, type WorkflowRoots, type WorkflowSource } from './sources.js';
import { modelRole, stringField, toolFilter, type ConfiguredModels } from './fields.js';

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
  return { agents: keepByPrecedence(found, (item) => `the agent ${item.name}`, problems), problems };
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
  const doc = readWorkflowDocument(source.base, path, 'agent', problems);
  if (!doc) return undefined;
  const { ctx } = doc;
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
  const prompt = doc.body.trim();
  if (!prompt) {
    problems.push({ file: path, line: doc.bodyLine, message: 'the agent has no instructions (its body is empty); not loaded', severity: 'error' });
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
