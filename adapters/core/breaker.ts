import { circuitBreaker, ConsecutiveBreaker, handleWhen, CircuitState, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { PartnerUnavailableError } from '../../domain/errors.js';
import { isBreakerFailure, type NotCalled } from './failure.js';

/** A call refused without being made, because the partner's circuit is open. */
export class CircuitOpenError extends PartnerUnavailableError implements NotCalled {
  readonly notCalled = true as const;
  constructor(partnerId: string, cause: unknown) {
    super(partnerId, 'calls to the partner are paused after repeated failures (circuit open)', { cause });
  }
}

export type CircuitStatus = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failures: number;
  /** How long it stays open before one probe call may pass. */
  halfOpenAfterMs: number;
}

export interface PartnerBreaker {
  /** Runs one call; while the circuit is open, fails at once with a retryable PARTNER_UNAVAILABLE. */
  execute<T>(call: () => Promise<T>): Promise<T>;
  state(): CircuitStatus;
}

const STATES: Record<CircuitState, CircuitStatus> = {
  [CircuitState.Closed]: 'CLOSED', [CircuitState.Open]: 'OPEN', [CircuitState.HalfOpen]: 'HALF_OPEN', [CircuitState.Isolated]: 'OPEN',
};

export function createBreaker(partnerId: string, options: BreakerOptions, onState?: (state: CircuitStatus) => void): PartnerBreaker {
  // What counts is failure.ts's to say: 5xx, unreachable, hanging and garbage do; a 429, a refusal
  // (400/404/422) and a call never made (quota, budget) do not.
  const policy: CircuitBreakerPolicy = circuitBreaker(handleWhen(isBreakerFailure), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.failures),
  });
  if (onState) policy.onStateChange((state) => onState(STATES[state]));
  return {
    async execute<T>(call: () => Promise<T>): Promise<T> {
      try {
        return await policy.execute(call);
      } catch (error) {
        if (isBrokenCircuitError(error)) {
          throw new CircuitOpenError(partnerId, error);
        }
        throw error;
      }
    },
    state: () => STATES[policy.state],
  };
}
