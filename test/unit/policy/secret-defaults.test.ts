// Issue 12: the default deny list covers the credential files a red-team pass could read under the defaults, and
// the folders that hold them (the folder itself included). Each case asserts the decision and the deciding rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPolicyEngine } from '../../../extension/core/policy/engine.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-secrets-')));
const engine = createPolicyEngine({ workspaceRoots: [root], caseInsensitive: false });

const CASES: [string, string][] = [
  ['infra/terraform.tfvars', 'deny read(**/*.tfvars)'],
  ['infra/prod.auto.tfvars', 'deny read(**/*.tfvars)'],
  ['android/gradle.properties', 'deny read(**/gradle.properties)'],
  ['home/.config/gh/hosts.yml', 'deny read(**/.config/gh/hosts.yml)'],
  ['home/.pgpass', 'deny read(**/.pgpass)'],
  ['home/.my.cnf', 'deny read(**/.my.cnf)'],
  ['home/.s3cfg', 'deny read(**/.s3cfg)'],
  ['home/.vault-token', 'deny read(**/.vault-token)'],
  ['home/.dockercfg', 'deny read(**/.dockercfg)'],
  ['home/.docker/config.json', 'deny read(**/.docker/config.json)'],
  ['composer/auth.json', 'deny read(**/auth.json)'],
  ['.yarnrc', 'deny read(**/.yarnrc)'],
  ['.yarnrc.yml', 'deny read(**/.yarnrc.yml)'],
  ['.npmrc', 'deny read(**/.npmrc)'],
  ['home/.netrc', 'deny read(**/.netrc)'],
  ['home/.aws/credentials', 'deny read(**/.aws/**)'],
  ['home/.aws/sso/cache/abc123.json', 'deny read(**/.aws/**)'],
  ['home/.aws', 'deny read(**/.aws)'],
  ['home/.ssh', 'deny read(**/.ssh)'],
  ['home/.ssh/known_hosts', 'deny read(**/.ssh/**)'],
  ['home/.kube/config', 'deny read(**/.kube/config)'],
  ['home/.git-credentials', 'deny read(**/.git-credentials)'],
  ['home/.cargo/credentials.toml', 'deny read(**/.cargo/credentials.toml)'],
  ['home/.m2/settings.xml', 'deny read(**/.m2/settings.xml)'],
  ['home/.gem/credentials', 'deny read(**/.gem/credentials)'],
  ['vault.kdbx', 'deny read(**/*.kdbx)'],
];

for (const [file, rule] of CASES) {
  test(`${file} is denied for read and write by \`${rule}\``, () => {
    const read = engine.decide({ kind: 'read', path: file });
    assert.equal(read.decision, 'deny');
    assert.equal(read.rule, rule);
    assert.equal(read.source, 'default');
    const write = engine.decide({ kind: 'write', path: file });
    assert.equal(write.decision, 'deny');
    assert.equal(write.rule, rule.replace('read(', 'write('));
  });
}

test('ordinary files next to them stay readable', () => {
  for (const file of ['infra/main.tf', 'android/build.gradle', 'package.json', 'src/auth.ts', 'docs/ssh.md']) {
    const d = engine.decide({ kind: 'read', path: file });
    assert.equal(d.decision, 'allow', file);
    assert.equal(d.rule, 'default: read inside the workspace');
  }
});
