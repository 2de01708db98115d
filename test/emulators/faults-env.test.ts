import { garbledBody, parseFaults } from '../../emulators/kit/faults.js';
import { EMULATORS } from '../../emulators/registry.js';
import { ConfigError } from '../../platform/env.js';
import { envFaults, envPartnerFaults } from '../../emulators/kit/faults-env.js';

const IDS = Object.keys(EMULATORS);

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('FAULTS for one emulator (emulators/main.ts)', () => {
  it('reads a JSON object of faults, and nothing when unset or empty', () => {
    expect(envFaults({ FAULTS: '{"latencyMs":200,"failRate":0.1,"down":false}' })).toEqual({ latencyMs: 200, failRate: 0.1, down: false });
    expect(envFaults({})).toBeUndefined();
    expect(envFaults({ FAULTS: ' ' })).toBeUndefined();
  });

  it('stops the start naming the variable and the field', () => {
    expect(configError(() => envFaults({ FAULTS: '{"failRate":1.5}' }))).toBe('FAULTS: failRate: must be a number from 0 to 1, got 1.5');
    expect(configError(() => envFaults({ FAULTS: '{"hang":"true","jitterMs":-3}' }))).toBe([
      'FAULTS: jitterMs: must be a whole number of ms from 0 to 600000, got -3',
      'FAULTS: hang: must be true or false, got "true"',
    ].join('\n'));
    expect(configError(() => envFaults({ FAULTS: '{"slow":true}' }))).toMatch(/^FAULTS: slow: not a fault \(the faults are latencyMs, jitterMs, /);
    expect(configError(() => envFaults({ FAULTS: '5' }))).toBe('FAULTS: must be a JSON object, got 5');
    expect(configError(() => envFaults({ FAULTS: '{down:true}' }))).toMatch(/^FAULTS: must be JSON: /);
  });
});

describe('FAULTS by partner for the embedded default (stack/main.ts)', () => {
  it('reads faults keyed by partner id', () => {
    const env = { FAULTS: '{"heating-kryvyi-rih":{"hang":true},"water-kryvyi-rih":{"throttleRate":1}}' };
    expect(envPartnerFaults(env, IDS)).toEqual({ 'heating-kryvyi-rih': { hang: true }, 'water-kryvyi-rih': { throttleRate: 1 } });
    expect(envPartnerFaults({}, IDS)).toEqual({});
  });

  it('stops the start naming the variable, the partner and the field', () => {
    expect(configError(() => envPartnerFaults({ FAULTS: '{"water-kryvyi-rih":{"throttleRate":2}}' }, IDS)))
      .toBe('FAULTS: water-kryvyi-rih.throttleRate: must be a number from 0 to 1, got 2');
    expect(configError(() => envPartnerFaults({ FAULTS: '{"water-kryvyi-rih":true}' }, IDS)))
      .toBe('FAULTS: water-kryvyi-rih: must be a JSON object, got true');
    expect(configError(() => envPartnerFaults({ FAULTS: '{"gas":{"down":true}}' }, IDS)))
      .toBe(`FAULTS: gas: not an emulated partner (one of ${IDS.join(', ')})`);
    expect(configError(() => envPartnerFaults({ FAULTS: '{"down":true}' }, IDS)))
      .toBe(`FAULTS: down: not an emulated partner (one of ${IDS.join(', ')})`);
    expect(configError(() => envPartnerFaults({ FAULTS: '[]' }, IDS)))
      .toBe('FAULTS: must be a JSON object of faults by partner id, e.g. {"heating-kryvyi-rih":{"hang":true}}');
  });
});

describe('the faults declaration', () => {
  it('keeps only what a partial input sets', () => {
    expect(parseFaults({})).toEqual({});
    expect(parseFaults({ refuse: true, malformedRate: 0 })).toEqual({ refuse: true, malformedRate: 0 });
  });

  it.each([
    ['application/json; charset=utf-8', '{"unexpected":'],
    ['application/problem+json', '{"unexpected":'],
    ['text/xml; charset=utf-8', '<?xml version="1.0" encoding="utf-8"?>\n<unexpected>'],
    ['application/soap+xml', '<?xml version="1.0" encoding="utf-8"?>\n<unexpected>'],
    ['text/csv; charset=windows-1251', '"unexpected;\r\n'],
    ['text/plain; charset=utf-8', '\uFFFDunexpected'],
    ['', '\uFFFDunexpected'],
  ])('garbles a %j answer as %j', (type, body) => {
    expect(garbledBody(type)).toBe(body);
  });
});
