import type { Report } from './session.js';

/** Passed and failed checks of a report. */
export function summarize(report: Report): { passed: number; failed: number } {
  const failed = report.checks.filter((c) => !c.ok).length;
  return { passed: report.checks.length - failed, failed };
}

/**
 * The report as people read it: one line per check (✓ or ✗ and its name), under a failed check
 * what was expected and what came back, and a summary line at the end.
 */
export function formatReport(report: Report): string {
  const lines = [`partner-check ${report.partner}`];
  for (const check of report.checks) {
    lines.push(`  ${check.ok ? '✓' : '✗'} ${check.name}`);
    if (!check.ok && check.detail) lines.push(`      ${check.detail}`);
  }
  const { passed, failed } = summarize(report);
  lines.push(`${passed} checks passed, ${failed} failed`);
  return lines.join('\n');
}
