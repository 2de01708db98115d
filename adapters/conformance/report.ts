import type { Report } from './session.js';

/** Passed and failed checks of a report. */
export function summarize(report: Report): { passed: number; failed: number; notRun: number } {
  const failed = report.checks.filter((c) => !c.ok).length;
  const notRun = report.checks.filter((c) => c.notRun !== undefined).length;
  return { passed: report.checks.length - failed - notRun, failed, notRun };
}

/**
 * The report as people read it: one line per check (✓ or ✗ and its name), under a failed check
 * what was expected and what came back, and a summary line at the end.
 */
export function formatReport(report: Report): string {
  const lines = [`partner-check ${report.partner}`];
  for (const check of report.checks) {
    lines.push(`  ${check.notRun !== undefined ? '–' : check.ok ? '✓' : '✗'} ${check.name}`);
    if (!check.ok && check.detail) lines.push(`      ${check.detail}`);
    if (check.notRun !== undefined) lines.push(`      not run: ${check.notRun}`);
  }
  const { passed, failed, notRun } = summarize(report);
  lines.push(`${passed} checks passed, ${failed} failed${notRun ? `, ${notRun} not run` : ''}`);
  return lines.join('\n');
}
