// The one place a hook's permission decision meets the rules': deny binds, a hook may ask, and only a user hook's allow
// may answer a rule's ask.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineHookPermission, mergeHookPermissions } from '../../../../extension/core/agent/hooks/permission.js';
import type { PolicyDecision } from '../../../../extension/core/policy/types.js';
import type { HookPermission } from '../../../../extension/core/agent/hooks/types.js';

const rule = (decision: PolicyDecision['decision']): PolicyDecision => ({ decision, rule: `${decision} shell(x)`, source: 'project', reason: 'the rules say so' });
const hook = (decision: HookPermission['decision'], source: HookPermission['source']): HookPermission => ({ decision, source, rule: `hook ${source}`, reason: `hook ${decision}` });

test('a rule deny binds whatever the hook says', () => {
  for (const d of ['allow', 'ask', 'deny'] as const) for (const s of ['user', 'project'] as const) {
    assert.equal(combineHookPermission(rule('deny'), hook(d, s))?.rule, 'deny shell(x)');
  }
});

test('a hook deny or ask makes the call stricter, from any source', () => {
  for (const s of ['user', 'project'] as const) {
    assert.equal(combineHookPermission(rule('allow'), hook('deny', s))?.decision, 'deny');
    assert.equal(combineHookPermission(undefined, hook('deny', s))?.decision, 'deny');
    assert.equal(combineHookPermission(rule('allow'), hook('ask', s))?.decision, 'ask');
    assert.equal(combineHookPermission(rule('ask'), hook('deny', s))?.decision, 'deny');
  }
  assert.match(combineHookPermission(rule('ask'), hook('ask', 'project'))!.reason, /the rules say so; and hook ask/);
});

test("only a user hook's allow answers a rule's ask; an allow never loosens anything else", () => {
  assert.equal(combineHookPermission(rule('ask'), hook('allow', 'user'))?.decision, 'allow');
  assert.equal(combineHookPermission(rule('ask'), hook('allow', 'project'))?.decision, 'ask');
  assert.equal(combineHookPermission(rule('allow'), hook('allow', 'project'))?.decision, 'allow');
  assert.equal(combineHookPermission(undefined, hook('allow', 'project')), undefined);
  assert.equal(combineHookPermission(rule('ask'), undefined)?.decision, 'ask');
});

test('several hooks: deny over ask over allow, and an allow counts as the user\'s when a user hook gave it', () => {
  assert.equal(mergeHookPermissions([hook('allow', 'user'), hook('deny', 'project'), hook('ask', 'user')])?.decision, 'deny');
  assert.equal(mergeHookPermissions([hook('allow', 'project'), hook('allow', 'user')])?.source, 'user');
  assert.equal(mergeHookPermissions([hook('allow', 'user'), hook('allow', 'project')])?.source, 'user');
  assert.equal(mergeHookPermissions([hook('allow', 'project')])?.source, 'project');
  assert.equal(mergeHookPermissions([]), undefined);
});
