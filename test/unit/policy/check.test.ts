import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';
import { checkAction, decisionToJson } from '../../../extension/core/policy/check.js';
import { initShellParser } from '../../../extension/core/policy/shell-parser.js';

// Shell decisions need the tree-sitter parser, loaded once per process.
before(() => initShellParser());

const engine = createPolicyEngine({ workspaceRoots: [os.tmpdir()], userRules: { allow: ['shell(npm test)'] } });

describe('checkAction', () => {
  test('one action', () => {
    assert.equal(checkAction(engine, { command: 'npm test' }).decision, 'allow');
  });
  test('several actions: the strictest wins', () => {
    assert.equal(checkAction(engine, { command: 'npm test', write: 'x.txt' }).decision, 'ask');
    assert.equal(checkAction(engine, { command: 'npm test', read: '/etc/passwd' }).decision, 'deny');
  });
  test('nothing to check is an error', () => {
    assert.throws(() => checkAction(engine, {}), /nothing to check/);
  });
  test('decisionToJson keeps decision, rule and reason', () => {
    const json = decisionToJson(checkAction(engine, { tool: 'github.create_issue' }));
    assert.deepEqual(Object.keys(json).sort(), ['decision', 'reason', 'rule']);
    assert.equal(json.decision, 'ask');
  });
});
