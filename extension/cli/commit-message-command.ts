// `tiller commit-message --workspace DIR`: prints a commit message for what is staged, written by the small model in
// the repository's style (core/edits/commit-message.ts). Only the message goes to stdout, so it can be piped into
// `git commit -F -`.
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { createModelClient } from '../core/model/client.js';
import { ModelError } from '../core/model/types.js';
import { createPolicyEngine } from '../core/policy/engine.js';
import { registerSecret } from '../core/trace/redact.js';
import { CommitMessageError, writeCommitMessage } from '../core/edits/commit-message.js';
import { modelConfigFrom } from './config.js';
import { EXIT, UsageError } from './exit-codes.js';
import { loadUserRules } from './user-rules.js';
import type { CliIo } from './io.js';

export const COMMIT_MESSAGE_USAGE = 'tiller commit-message --workspace DIR [--base-url URL] [--model NAME] [--small-model NAME]';

export async function commitMessageCommand(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        workspace: { type: 'string', short: 'w' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'small-model': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${COMMIT_MESSAGE_USAGE}`);
  }
  let root: string;
  try {
    root = realpathSync(resolve(values.workspace ?? '.'));
  } catch {
    throw new UsageError(`workspace folder not found: ${values.workspace ?? '.'}`);
  }
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const config = modelConfigFrom({ baseUrl: values['base-url'], model: values.model, smallModel: values['small-model'] }, io.env, (m) => say(`warning: ${m}`));
  registerSecret(config.apiKey);
  // The read rules decide what of the diff the model may see (a staged `.env` is named, never shown).
  const userRules = loadUserRules();
  const policy = createPolicyEngine({ workspaceRoots: [root], ...(userRules ? { userRules } : {}) });
  try {
    const { message, changes } = await writeCommitMessage({ root, model: createModelClient(config), policy });
    if (changes.withheld.length) say(`[content withheld from the model by the read rules: ${changes.withheld.join(', ')}]`);
    if (changes.truncated) say('[the diff was long; the model saw its beginning]');
    io.stdout.write(`${message}\n`);
    return EXIT.done;
  } catch (err) {
    if (err instanceof CommitMessageError) {
      say(`tiller: ${err.message}`);
      return EXIT.failed;
    }
    if (err instanceof ModelError) {
      say(`tiller: the model call failed (${err.kind}): ${err.message}`);
      return err.kind === 'config' ? EXIT.usage : EXIT.failed;
    }
    throw err;
  }
}
