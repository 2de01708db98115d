import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../domain/project-root.js';

/**
 * The import graph of the whole tree keeps its layers (.dependency-cruiser.cjs): platform ← domain
 * ← identity, audit ← adapters ← subgraphs ← gateway; emulators beside them; no emulator code in the
 * gateway's or a subgraph's process; no cycles. Each violation is listed by rule and import.
 */
const FOLDERS = ['platform', 'domain', 'identity', 'audit', 'schema', 'adapters', 'subgraphs', 'gateway', 'emulators', 'stack', 'scripts', 'bench', 'web'];
const cli = path.join(projectRoot(), 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation { rule: { name: string }; from: string; to: string; cycle?: Array<{ name: string }> }

describe('the layers of the code', () => {
  it('hold across the whole tree: no import from a higher layer into a lower one, no cycle', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...FOLDERS],
      { cwd: projectRoot(), maxBuffer: 64 * 1024 * 1024 });
    const result = JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } };
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    // The check saw the tree (a configuration that matched nothing would pass vacuously).
    expect(result.summary.totalCruised).toBeGreaterThan(200);
  }, 60_000);
});
