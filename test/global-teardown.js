import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Nothing personal in logs, checked over the whole suite's traffic: every line any test stack
 * logged is searched for the demo citizens' tax ids, names, addresses and plates. A match fails
 * the run (jest exits non-zero), and so does a run that logged too little to prove anything.
 */
const PERSONAL = ['3111901220', '2660404572', 'Коваленко', 'Шевченко', 'Металургів', 'Соборності', 'AE4127KC', 'АЕ4127КС'];
const MIN_LINES = 500;

export default function globalTeardown() {
  // The embedded store's template (global-setup.js): its folder, made for this run only.
  const template = process.env.VIKNO_TEST_PGLITE_TEMPLATE;
  if (template) rmSync(path.dirname(template), { recursive: true, force: true });
  const dir = process.env.VIKNO_TEST_LOG_DIR;
  if (!dir) return;
  const files = readdirSync(dir);
  let lines = 0;
  const found = new Map();
  for (const file of files) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      lines += 1;
      for (const value of PERSONAL) if (line.includes(value)) found.set(value, (found.get(value) ?? 0) + 1);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const partial = process.argv.some((a) => a.includes('test/') && !a.startsWith('--'));
  if (found.size > 0) {
    throw new Error(`personal data in the test suite's logs: ${[...found].map(([v, n]) => `${v.slice(0, 3)}… in ${n} lines`).join(', ')}`);
  }
  if (!partial && lines < MIN_LINES) throw new Error(`the suite logged only ${lines} lines: too few to show that logs hold no personal data`);
  console.log(`\nlogs checked: ${lines} lines from ${files.length} test processes, no demo tax id, name, address or plate`);
}
