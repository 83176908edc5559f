// MCP servers' forms (`elicitation/create`) in VS Code: a modal naming the server and its message, then one input box
// or quick pick per field, prefilled with the schema's defaults. Escape cancels. The host applies defaults and checks
// the whole answer against the schema before anything goes back to the server.
import type * as vscode from 'vscode';
import type { ElicitationAnswer, Elicitor } from '../core/ports.js';
import { fieldsOf, parseFieldAnswer, type Field, type Value } from '../core/tools/protocol/elicitation-fields.js';
import { stripControl } from '../core/tools/protocol/logging.js';

type Window = Pick<typeof vscode.window, 'showInformationMessage' | 'showInputBox' | 'showQuickPick'>;

export function vscodeElicitor(window: Window): Elicitor {
  return {
    async elicit(request): Promise<ElicitationAnswer> {
      const fill = 'Fill In';
      const decline = 'Decline';
      const choice = await window.showInformationMessage(
        `The MCP server ${stripControl(request.server)} asks for information`,
        { modal: true, detail: stripControl(request.message) },
        fill,
        decline,
      );
      if (choice === undefined) return { action: 'cancel' };
      if (choice !== fill) return { action: 'decline' };
      const content: Record<string, Value> = {};
      for (const field of fieldsOf(request.requestedSchema)) {
        const value = await askField(window, request.server, field);
        if (value === 'cancel') return { action: 'cancel' };
        if (value !== undefined) content[field.name] = value;
      }
      return { action: 'accept', content };
    },
  };
}

/** The field's value; undefined when skipped (the host fills in the default); 'cancel' on Escape. */
async function askField(window: Window, server: string, field: Field): Promise<Value | undefined | 'cancel'> {
  const title = `${stripControl(server)}: ${field.title ?? field.name}${field.required ? '' : ' (optional)'}`;
  if (field.type === 'boolean') {
    const picked = await window.showQuickPick(['Yes', 'No'], { title, placeHolder: field.description });
    return picked === undefined ? 'cancel' : picked === 'Yes';
  }
  if (field.options) {
    const picked = await window.showQuickPick(field.options.map(stripControl), { title, placeHolder: field.description, canPickMany: field.type === 'array' });
    if (picked === undefined) return 'cancel';
    return picked;
  }
  const raw = await window.showInputBox({
    title,
    prompt: field.description,
    value: field.default === undefined ? '' : String(field.default),
    validateInput: (text) =>
      text.trim() === '' && !field.required
        ? undefined
        : (() => {
            const parsed = parseFieldAnswer(field, text);
            return 'error' in parsed ? parsed.error : undefined;
          })(),
  });
  if (raw === undefined) return 'cancel';
  if (raw.trim() === '') return undefined;
  const parsed = parseFieldAnswer(field, raw);
  return 'value' in parsed ? parsed.value : 'cancel';
}
