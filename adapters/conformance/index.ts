/**
 * The conformance suite a partner's developer runs against an adapter (`npm run partner:check -- <id>`):
 * the adapter contract (adapters/core/contract.ts) checked against a partner system through a
 * fault-injecting proxy. See scripts/partner-check.ts for the command and test/conformance for its use in tests.
 */
export { runConformance, failedChecks, conformanceKeys, strangerTaxId } from './run.js';
export { formatReport, summarize } from './report.js';
export { startFaultProxy, type FaultMode, type FaultProxy } from './fault-proxy.js';
export type { Check, ConformanceOptions, Report, TimeZoneSnapshot } from './session.js';
export type { ExpectedData } from './expected.js';
