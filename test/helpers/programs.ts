import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';

/**
 * `it` for a test that needs an outside program (docker-compose, promtool, haproxy: Debian packages,
 * not npm ones). Where the program answers `args`, the test runs; elsewhere it is replaced by a test
 * that `.ci/run` installs the program, so CI always runs the real one and no test is skipped.
 */
export function itWithProgram(program: string, args: readonly string[], pkg = program) {
  if (spawnSync(program, args).status === 0) return it;
  return (name: string, _test: () => unknown, timeout?: number) =>
    it(`${name} (where ${program} is installed: .ci/run installs the ${pkg} package)`, () => {
      const ci = readFileSync(path.join(projectRoot(), '.ci', 'run'), 'utf8');
      expect(ci).toMatch(new RegExp(`\\b${program}:${pkg}\\b`));
    }, timeout);
}
