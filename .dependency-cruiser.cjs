/**
 * Which folder may import which: dependencies point down,
 *   platform ← domain ← identity, audit ← adapters ← subgraphs ← gateway,
 * schema (the SDL and its tooling) beside domain; emulators stand beside them all and talk to the
 * rest only over HTTP, and emulator code never loads in a production process; the browser pages (web/)
 * share only the pure domain modules their tsconfig compiles. The composition
 * roots — stack/, scripts/, bench/ and each process's main.ts, which read the environment and wire
 * the parts — and the tests may import anything else. Checked by test/unit/layers.test.ts (npm
 * test); `npx depcruise --config .dependency-cruiser.cjs <folders>` prints the same.
 */
const OWN = '^(platform|domain|identity|audit|schema|adapters|subgraphs|gateway|emulators|stack|scripts|bench|test|docs|web)/';

/** A rule: files under `from` may import only files under `allowed` (besides npm packages and node). */
const only = (from, allowed) => ({
  name: `${from}-imports-only-${allowed.join('-')}`,
  comment: `${from}/ may import only ${allowed.map((a) => `${a}/`).join(', ')}`,
  severity: 'error',
  from: { path: `^${from}/`, pathNot: `^${from}/main\\.ts$` },
  to: { path: OWN, pathNot: `^(${[from, ...allowed].join('|')})/` },
});

module.exports = {
  forbidden: [
    only('platform', []),
    only('domain', ['platform']),
    only('identity', ['platform', 'domain']),
    only('audit', ['platform', 'domain']),
    only('schema', ['platform', 'domain']),
    only('adapters', ['platform', 'domain']),
    only('subgraphs', ['platform', 'domain', 'identity', 'audit', 'schema', 'adapters']),
    only('gateway', ['platform', 'domain', 'identity', 'audit', 'schema']),
    only('emulators', ['platform', 'domain']),
    {
      name: 'web-imports-only-shared-domain-modules',
      comment: 'the browser pages talk to the rest over HTTP; they share only the pure domain modules web/tsconfig.json compiles (gateway/web.ts serves them)',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: OWN, pathNot: '^(web/|domain/identifiers\\.ts$)' },
    },
    {
      name: 'no-emulator-code-in-production',
      comment: 'the gateway and subgraph processes never load emulator code (faults, fake registries)',
      severity: 'error',
      from: { path: '^(gateway|subgraphs)/main\\.ts$' },
      to: { path: '^emulators/', reachable: true },
    },
    {
      name: 'no-circular',
      comment: 'a cycle between modules makes their load order matter',
      severity: 'error',
      from: { path: OWN },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'node', 'default'] },
  },
};
