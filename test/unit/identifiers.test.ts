import {
  checkCadastralNumber, checkEdrpou, checkEic, checkRnokpp, checkVin, decodeRnokpp, encodeRnokpp, normalizePlate,
  plateToCyrillic, vinCheckDigitMatches,
} from '../../domain/identifiers.js';
import { formatMinorUnits, parseDecimalToMinorUnits } from '../../domain/money.js';

describe('РНОКПП', () => {
  it('accepts the valid examples and decodes birth date and sex', () => {
    expect(checkRnokpp('3111901220')).toBeNull();
    expect(checkRnokpp('2660404572')).toBeNull();
    expect(decodeRnokpp('3111901220')).toEqual({ birthDate: '1985-03-14', sex: 'FEMALE' });
    expect(decodeRnokpp('2660404572')).toEqual({ birthDate: '1972-11-02', sex: 'MALE' });
  });

  it('names what is wrong with an invalid one', () => {
    expect(checkRnokpp('3111901221')).toBe('check digit does not match');
    expect(checkRnokpp('311190122')).toBe('must be exactly 10 digits');
    expect(checkRnokpp('31119O1220')).toBe('must contain digits only');
  });

  it('encodes a number that decodes back', () => {
    const taxId = encodeRnokpp('1990-07-01', 123, 'MALE');
    expect(checkRnokpp(taxId)).toBeNull();
    expect(decodeRnokpp(taxId)).toEqual({ birthDate: '1990-07-01', sex: 'MALE' });
  });
});

describe('other identifiers', () => {
  it('checks ЄДРПОУ', () => {
    expect(checkEdrpou('32855961')).toBeNull();
    expect(checkEdrpou('32855962')).toBe('check digit does not match');
    expect(checkEdrpou('3285596')).toBe('must be exactly 8 digits');
  });

  it('checks EIC', () => {
    expect(checkEic('21X000000001397P')).toBeNull();
    expect(checkEic('21X000000001397Q')).toBe('check character does not match');
    expect(checkEic('21x000000001397P')).toBe('must be 16 characters from 0-9, A-Z and -');
  });

  it('checks cadastral numbers and VINs', () => {
    expect(checkCadastralNumber('1211000000:02:015:0042')).toBeNull();
    expect(checkCadastralNumber('1211000000:2:015:0042')).not.toBeNull();
    expect(checkVin('1M8GDM9AXKP042788')).toBeNull();
    expect(vinCheckDigitMatches('1M8GDM9AXKP042788')).toBe(true);
    expect(vinCheckDigitMatches('1M8GDM9A1KP042788')).toBe(false);
    expect(checkVin('1M8GDM9AXKP04278O')).toBe('must be 17 characters without I, O or Q');
  });

  it('normalises plates in either script to Latin', () => {
    expect(normalizePlate('АЕ 1234 КХ')).toBe('AE1234KX');
    expect(normalizePlate('ae1234kx')).toBe('AE1234KX');
    expect(normalizePlate('AЯ1234KX')).toBeNull();
    expect(plateToCyrillic('AE1234KX')).toBe('АЕ1234КХ');
  });
});

describe('money', () => {
  it('formats and parses minor units without floats', () => {
    expect(formatMinorUnits(123456)).toBe('1234.56');
    expect(formatMinorUnits(-5)).toBe('-0.05');
    expect(parseDecimalToMinorUnits('1 234,5')).toBe(123450);
    expect(parseDecimalToMinorUnits('-12.05')).toBe(-1205);
    expect(parseDecimalToMinorUnits('12.345')).toBeNull();
  });
});
