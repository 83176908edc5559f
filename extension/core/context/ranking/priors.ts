// General priors on where fixes land. Tests, fixtures, docs, examples, generated, vendored and build output are
// rarely what an issue is asking to change; declarations and lock files follow the source. These are multipliers on a
// file's score, never exclusions: an issue about the docs still finds the docs by its words.

interface Prior {
  test: RegExp;
  factor: number;
  label: string;
}

const PRIORS: Prior[] = [
  // Nested copies of third-party code. Not `packages/`: in a monorepo that is the project's own code.
  { test: /(^|\/)(node_modules|vendor|vendored|_vendor|third_party|third-party|extern|cextern|bower_components)\//, factor: 0.1, label: 'vendored' },
  { test: /(\.bundle|[.-]bundled?)\.[cm]?js$|(^|\/)bundled?\//, factor: 0.25, label: 'bundled' },
  { test: /(^|\/)(dist|build|out|coverage|\.next|target)\//, factor: 0.25, label: 'build output' },
  { test: /(^|\/)(__tests__|tests?|spec|specs|__mocks__|e2e)\//, factor: 0.35, label: 'test' },
  { test: /(\.|_|-)(test|spec)s?\.[a-z]+$|(^|\/)test_[^/]+\.py$/, factor: 0.35, label: 'test' },
  { test: /(^|\/)(fixtures?|__fixtures__|testdata|mocks?|examples?|demos?|samples?|benchmarks?|bench)\//, factor: 0.4, label: 'fixture or example' },
  { test: /(^|\/)(docs?|documentation)\//, factor: 0.45, label: 'docs' },
  { test: /\.(md|mdx|rst|txt)$/i, factor: 0.5, label: 'prose' },
  { test: /(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Cargo\.lock|\.lock)$/, factor: 0.1, label: 'lock file' },
  { test: /\.d\.[cm]?ts$/, factor: 0.5, label: 'declarations' },
  { test: /(\.min\.[a-z]+|\.map|\.snap)$|(^|\/)generated\/|\.generated\./, factor: 0.2, label: 'generated' },
  { test: /\.(json|ya?ml|toml|ini|cfg|lock|svg|css|scss|less|html?)$/i, factor: 0.6, label: 'config or markup' },
  { test: /(^|\/)(\.github|\.circleci|\.vscode|\.husky|\.devcontainer|scripts?)\//, factor: 0.4, label: 'tooling' },
  // Build, test-runner and lint configuration (karma.conf.js, vite.config.ts, .eslintrc.js, jest.setup.js).
  {
    test: /(^|\/)([^/]+\.(conf|config|setup)\.[cm]?[jt]s|\.[^/]+rc(\.[cm]?[jt]s|\.json)?|Gruntfile\.js|gulpfile\.js|webpack\.[^/]+\.js)$/i,
    factor: 0.4,
    label: 'tool config',
  },
];

/** Source-like extensions: what most fixes edit. */
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|rb|php|cs|c|cc|cpp|h|hpp|swift|scala|vue|svelte)$/i;

/** A path's prior never changes; ranking asks for thousands per query on large trees. Bounded. */
const CACHE = new Map<string, { factor: number; labels: string[] }>();

export function pathPrior(path: string): { factor: number; labels: string[] } {
  let hit = CACHE.get(path);
  if (!hit) {
    if (CACHE.size > 500_000) CACHE.clear();
    hit = computePrior(path);
    CACHE.set(path, hit);
  }
  return hit;
}

function computePrior(path: string): { factor: number; labels: string[] } {
  let factor = SOURCE.test(path) ? 1 : 0.8;
  const labels: string[] = [];
  for (const p of PRIORS) {
    if (p.test.test(path) && !labels.includes(p.label)) {
      factor *= p.factor;
      labels.push(p.label);
    }
  }
  return { factor: Math.max(factor, 0.02), labels };
}
