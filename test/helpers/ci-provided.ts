import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';

/**
 * Tests that need what a development machine may lack but CI always has: a server's URL in the
 * environment (REDIS_URL, DATABASE_URL) or an outside program (docker-compose, promtool, haproxy:
 * Debian packages, not npm ones). Where it is missing the test is replaced by one that `.ci/run`
 * provides it, so CI always runs the real test and no test is ever skipped.
 */

const ciScript = () => readFileSync(path.join(projectRoot(), '.ci', 'run'), 'utf8');

/** The stand-in for tests that run where `variable` is set: `.ci/run` exports it. */
export function itIsTestedWhereSet(variable: string): void {
  it(`is tested where ${variable} is set, which .ci/run does`, () => {
    expect(ciScript()).toMatch(new RegExp(`^export ${variable}=`, 'm'));
  });
}

/** `it` for a test that needs `program` (answering `args`); elsewhere the stand-in: `.ci/run` installs `pkg`. */
export function itWithProgram(program: string, args: readonly string[], pkg = program) {
  if (spawnSync(program, args).status === 0) return it;
  return (name: string, _test: () => unknown, timeout?: number) =>
    it(`${name} (where ${program} is installed: .ci/run installs the ${pkg} package)`, () => {
      expect(ciScript()).toMatch(new RegExp(`\\b${program}:${pkg}\\b`));
    }, timeout);
}
