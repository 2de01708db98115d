import { jest } from '@jest/globals';
import { DEFAULT_FAULTS } from '../../emulators/kit/faults.js';
import { SUBGRAPH_NAMES } from '../../schema/index.js';
import { gql, memorandumWith, resetCallCounts, startTestStack, uncached } from '../helpers/stack.js';
import { callsByOperation, TAX_ID, timed } from './fault-query.js';

/**
 * The circuit breaker through the whole stack: after `breaker.failures` failed calls to a partner,
 * queries fail fast with PARTNER_UNAVAILABLE instead of waiting for it, the partners' status and
 * the gateway's readiness show its circuit OPEN, and once `halfOpenAfterSeconds` have passed one
 * probe call goes through and, when it succeeds, closes the circuit.
 */

const SICK = 'vehicles-mvs';
const FAILURES = 3;
const HALF_OPEN_SECONDS = 30;
const DEADLINE_MS = 1000;
/** Well under the deadline: an open circuit answers without waiting for the partner. */
const FAST_MS = 200;

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  const memorandum = await memorandumWith((entry) => {
    entry.connection.timeoutMs = DEADLINE_MS;
    entry.connection.breaker = { failures: FAILURES, halfOpenAfterSeconds: HALF_OPEN_SECONDS };
    uncached(entry);
  });
  stack = await startTestStack({ memorandum });
});
afterAll(() => stack.stop());

const vehiclesQuery = `query ($taxId: ID!) { citizen(taxId: $taxId) { vehicles { vin } } }`;
const askVehicles = () => timed(() => gql(stack.gatewayUrl, vehiclesQuery, { taxId: TAX_ID }));
const emulator = () => stack.emulators.get(SICK)!.emulator;
const circuit = () => stack.partners.find((p) => p.ref.id === SICK)!.breaker.state();

const HEALTHY_ANSWER = { data: { citizen: { vehicles: [{ vin: 'JTNB11HK1KU048213' }, { vin: 'SJNFAAZE0JU271930' }] } } };
const failedWith = (message: string) => ({
  data: { citizen: { vehicles: null } },
  errors: [{ message, path: ['citizen', 'vehicles'], extensions: { code: 'PARTNER_UNAVAILABLE', partner: SICK, retryable: true } }],
});
const CIRCUIT_OPEN = failedWith('calls to the partner are paused after repeated failures (circuit open)');

/** Every partner's status and circuit; only the vehicles registry has been called in this file. */
async function partnersView(vehicles: { status: string; circuit: string }) {
  const answer = await gql(stack.gatewayUrl, '{ partners { id status health { circuit } } }');
  expect(answer).toEqual({
    data: {
      partners: stack.partners.map(({ ref: { id } }) => (id === SICK
        ? { id, status: vehicles.status, health: { circuit: vehicles.circuit } }
        : { id, status: 'UNKNOWN', health: { circuit: 'CLOSED' } })),
    },
  });
}

async function readiness() {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/readyz'));
  return { status: response.status, body: await response.json() };
}

function readyWith(vehiclesCircuit: string) {
  return {
    status: 200,
    body: {
      // An open circuit leaves answers flowing without that partner: degraded, still 200.
      status: vehiclesCircuit === 'OPEN' ? 'degraded' : 'ok',
      subgraphs: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, 'up'])),
      partners: Object.fromEntries(stack.partners.map(({ ref: { id }, domain }) => [id, { subgraph: domain, circuit: id === SICK ? vehiclesCircuit : 'CLOSED' }])),
      dependencies: { trail: 'up' },
    },
  };
}

describe(`a partner that keeps failing (circuit breaker: ${FAILURES} failures, half-open after ${HALF_OPEN_SECONDS} s)`, () => {
  it(`lets ${FAILURES} failing queries reach the partner (the attempt and 2 retries each), then opens its circuit`, async () => {
    expect((await askVehicles()).answer).toEqual(HEALTHY_ANSWER);
    emulator().setFaults({ down: true });
    resetCallCounts(stack);

    // Retries happen inside one breaker call: each query is one failure, however many attempts it made.
    for (let i = 0; i < FAILURES; i++) expect((await askVehicles()).answer).toEqual(failedWith('the partner failed (HTTP 503)'));

    expect(callsByOperation(stack)[SICK]).toEqual({ registrationsByOwner: FAILURES * 3 });
    expect(circuit()).toBe('OPEN');
  });

  it(`then fails fast with PARTNER_UNAVAILABLE (circuit open), under ${FAST_MS} ms and without calling the partner, whether it is down, hanging or back`, async () => {
    resetCallCounts(stack);
    for (const faults of [{ down: true }, { down: false, hang: true }, DEFAULT_FAULTS]) {
      emulator().setFaults(faults);
      const { answer, ms } = await askVehicles();
      expect(answer).toEqual(CIRCUIT_OPEN);
      expect(ms).toBeLessThan(FAST_MS);
    }
    expect(emulator().stats.calls).toBe(0);
    expect(emulator().held.size).toBe(0);
  });

  it('shows the partner DOWN with its circuit OPEN in the partners\' status', async () => {
    await partnersView({ status: 'DOWN', circuit: 'OPEN' });
  });

  it('lists its circuit OPEN in the gateway\'s /readyz, which says degraded and still answers 200 (every subgraph is up)', async () => {
    expect(await readiness()).toEqual(readyWith('OPEN'));
  });

  it(`lets one probe call through after ${HALF_OPEN_SECONDS} s and closes the circuit when it succeeds`, async () => {
    emulator().setFaults(DEFAULT_FAULTS);
    resetCallCounts(stack);
    // Cockatiel reads Date.now(): move the date past the half-open delay; timers and performance stay real.
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'],
      now: Date.now() + (HALF_OPEN_SECONDS + 1) * 1000,
    });
    try {
      expect((await askVehicles()).answer).toEqual(HEALTHY_ANSWER);
      expect(callsByOperation(stack)[SICK]).toEqual({ registrationsByOwner: 1 });
      expect(circuit()).toBe('CLOSED');

      expect((await askVehicles()).answer).toEqual(HEALTHY_ANSWER);
      expect(callsByOperation(stack)[SICK]).toEqual({ registrationsByOwner: 2 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the circuit CLOSED again: DEGRADED in the partners\' status while its failures are recent, CLOSED in /readyz', async () => {
    // The status board keeps the last 20 outcomes of the last five minutes: the three failures are still among them.
    await partnersView({ status: 'DEGRADED', circuit: 'CLOSED' });
    expect(await readiness()).toEqual(readyWith('CLOSED'));
  });
});
