import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromModelToolName, MODEL_TOOL_NAME, splitToolName, toModelToolName } from '../../../extension/core/model/tool-names.js';

test('simple names map to server__tool and back', () => {
  for (const name of ['workspace.read_file', 'shell.run_command', 'my-server.do-it', 'a_b.__weird', 'srv.tool__with__dunders']) {
    const model = toModelToolName(name);
    assert.match(model, MODEL_TOOL_NAME);
    assert.equal(fromModelToolName(model), name, name);
  }
  assert.equal(toModelToolName('workspace.read_file'), 'workspace__read_file');
});

test('invalid characters, ambiguous servers and long names get a deterministic hashed form', () => {
  const names = ['github.repos/list', 'my__server.tool', 'srv_.tool', `long.${'x'.repeat(80)}`, 'srv.tool.with.dots'];
  const models = names.map(toModelToolName);
  for (const [i, model] of models.entries()) {
    assert.match(model, MODEL_TOOL_NAME);
    assert.equal(toModelToolName(names[i]!), model, 'deterministic');
    assert.equal(fromModelToolName(model, names), names[i]);
  }
  assert.equal(new Set(models).size, models.length);
  // Two names that sanitise alike still differ.
  assert.notEqual(toModelToolName('s.a/b'), toModelToolName('s.a.b'));
});

test('unknown or malformed model names map to undefined', () => {
  assert.equal(fromModelToolName('nounderscore'), undefined);
  assert.equal(fromModelToolName('bad name'), undefined);
  assert.equal(fromModelToolName('workspace__read_file', ['shell.run_command']), undefined);
});

test('splitToolName validates the server part', () => {
  assert.deepEqual(splitToolName('a.b.c'), { server: 'a', tool: 'b.c' });
  assert.throws(() => splitToolName('noserver'), /server\.tool/);
  assert.throws(() => splitToolName('bad server.x'), /must match/);
});
