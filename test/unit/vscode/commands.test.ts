import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { commandTable, registerCommands, type CommandServices } from '../../../extension/vscode/commands.js';

function services(stopResult: boolean) {
  const calls: string[] = [];
  const fakeVscode = {
    commands: {
      registerCommand: (id: string) => {
        calls.push(`register ${id}`);
        return { dispose() {} };
      },
      executeCommand: async (...args: unknown[]) => calls.push(`execute ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
    },
    env: { remoteName: undefined },
    window: { showInformationMessage: async (m: string) => calls.push(`info ${m}`) },
  } as unknown as typeof vscode;
  const s: CommandServices = {
    vscode: fakeVscode,
    context: { extension: { id: 'tiller.tiller' } } as unknown as vscode.ExtensionContext,
    loadConfig: async () => {
      throw new Error('not used');
    },
    newTask: async () => {
      calls.push('newTask');
    },
    stopTask: () => stopResult,
    lastTracePath: () => undefined,
    sendTask: async (task) => {
      calls.push(`sendTask ${task}`);
    },
    inlineReview: {
      decideHunk: async (decision, target) => {
        calls.push(`hunk ${decision} ${JSON.stringify(target)}`);
        return target !== undefined;
      },
      decideAll: async (decision) => {
        calls.push(`all ${decision}`);
        return true;
      },
    },
    checkpoints: async () => undefined,
    openContextInspector: async () => {
      calls.push('inspector');
    },
    mcpServers: {
      focus: async () => void calls.push('mcp focus'),
      restart: async (name) => void calls.push(`mcp restart ${String(name)}`),
      stop: async (name) => void calls.push(`mcp stop ${String(name)}`),
      openConfig: async (name) => void calls.push(`mcp config ${String(name)}`),
      refresh: async () => void calls.push('mcp refresh'),
      add: async () => void calls.push('mcp add'),
    },
    tasks: {
      newInWorktree: async () => void calls.push('tasks new'),
      openTranscript: async (id) => void calls.push(`tasks transcript ${String(id)}`),
      stop: async (id) => void calls.push(`tasks stop ${String(id)}`),
      review: async (id) => void calls.push(`tasks review ${String(id)}`),
      keepBranch: async (id) => void calls.push(`tasks keep ${String(id)}`),
      discard: async (id) => void calls.push(`tasks discard ${String(id)}`),
    },
    showTracePanel: async () => {
      calls.push('trace panel');
    },
    chatNotice: (message) => calls.push(`notice ${message}`),
  };
  return { s, calls };
}

function handler(id: string, s: CommandServices) {
  const entry = commandTable.find((c) => c.id === id);
  assert.ok(entry, `${id} is not in the table`);
  return entry.create(s);
}

test('registerCommands registers every entry once', () => {
  const { s, calls } = services(true);
  const disposables = registerCommands(s);
  assert.equal(disposables.length, commandTable.length);
  assert.deepEqual(calls, commandTable.map((c) => `register ${c.id}`));
});

test('stop says so when no task is running, and is quiet when it stopped one', async () => {
  const idle = services(false);
  await handler('tiller.stop', idle.s)();
  assert.deepEqual(idle.calls, ['info Tiller: no task is running.']);
  const busy = services(true);
  await handler('tiller.stop', busy.s)();
  assert.deepEqual(busy.calls, []);
});

test('openSettings filters the Settings editor to this extension; newTask delegates', async () => {
  const { s, calls } = services(true);
  await handler('tiller.openSettings', s)();
  await handler('tiller.newTask', s)();
  assert.deepEqual(calls, ['execute workbench.action.openSettings @ext:tiller.tiller', 'newTask']);
});

test('in a remote window (code-server) openSettings lands on the Remote tab, where the machine-scoped settings are', async () => {
  const { s, calls } = services(true);
  const remoteVscode = { ...s.vscode, env: { remoteName: '127.0.0.1:8080' } } as unknown as typeof vscode;
  await handler('tiller.openSettings', { ...s, vscode: remoteVscode })();
  assert.deepEqual(calls, ['execute workbench.action.openRemoteSettings {"query":"@ext:tiller.tiller"}']);
});

test('hunk commands pass a CodeLens target through and ignore anything else', async () => {
  const { s, calls } = services(true);
  await handler('tiller.rejectHunk', s)({ review: 'r1', path: 'a.ts', hunk: 1 });
  await handler('tiller.acceptHunk', s)('not a target');
  await handler('tiller.acceptAll', s)();
  assert.deepEqual(calls, [
    'hunk rejected {"review":"r1","path":"a.ts","hunk":1}',
    'hunk accepted undefined',
    'info Tiller: no change is waiting for review in the editor.',
    'all accepted',
  ]);
});

test('restore checkpoint without a folder says so', async () => {
  const { s, calls } = services(true);
  await handler('tiller.restoreCheckpoint', s)();
  assert.match(calls.join('\n'), /open a folder first/);
});

test('Manage MCP Servers opens the servers view; the buttons of the view pass the server they belong to', async () => {
  const { s, calls } = services(true);
  await handler('tiller.manageMcpServers', s)();
  await handler('tiller.restartMcpServer', s)('docs');
  await handler('tiller.stopMcpServer', s)('docs');
  await handler('tiller.openMcpServerConfig', s)('docs');
  assert.deepEqual(calls, ['mcp focus', 'mcp restart docs', 'mcp stop docs', 'mcp config docs']);
});

test('Show Last Trace opens the readable table in the chat view, as the view\'s button does', async () => {
  const { s, calls } = services(true);
  await handler('tiller.showTrace', s)();
  assert.deepEqual(calls, ['trace panel']);
});
