import { createHash } from 'node:crypto';
import { checkCadastralNumber, checkVin, normalizePlate, plateToCyrillic, vinCheckDigitMatches } from '../../domain/identifiers.js';
import {
  expectLiveSource, isCount, isIsoDate, isIsoDateTime, isMoney, isNonEmptyString, isOneOf, isRecord, type Problems,
} from './validate.js';

/** The contract's land parcels, vehicles and registry extracts (domain/model.ts), checked field by field. */

export function validateParcel(problems: Problems, parcel: unknown, partnerId: string, where: string): void {
  if (!isRecord(parcel)) return problems.expect(false, 'shape', where, 'is not an object');
  const number = typeof parcel.cadastralNumber === 'string' ? checkCadastralNumber(parcel.cadastralNumber) : 'is missing';
  problems.expect(number === null, 'identifiers', where, `cadastral number ${number}`);
  problems.expect(typeof parcel.koatuu === 'string' && /^\d{10}$/.test(parcel.koatuu), 'identifiers', where, 'koatuu is not 10 digits');
  problems.expect(parcel.partnerId === partnerId, 'source', where, 'partnerId is not the partner under check');
  problems.expect(typeof parcel.areaHectares === 'string' && /^\d+\.\d{4}$/.test(parcel.areaHectares), 'money', where,
    'areaHectares is not a decimal string with four places');
  problems.expect(isNonEmptyString(parcel.address), 'shape', where, 'address is empty');
  problems.expect(isOneOf(parcel.ownershipForm, ['PRIVATE', 'COMMUNAL', 'STATE']), 'shape', where, 'ownershipForm is not PRIVATE, COMMUNAL or STATE');
  problems.expect(isMoney(parcel.normativeValuation), 'money', where, 'normativeValuation is not integer minor units in UAH');
  problems.expect(Number.isSafeInteger(parcel.valuationYear), 'dates', where, 'valuationYear is not a whole number');
  problems.expect(isIsoDate(parcel.registeredOn), 'dates', where, 'registeredOn is not an ISO date');
  for (const field of ['category', 'purpose']) {
    const value = parcel[field];
    problems.expect(isRecord(value) && isNonEmptyString(value.code) && isNonEmptyString(value.name), 'shape', where, `${field} is not a code and a name`);
  }
  expectLiveSource(problems, parcel.source, partnerId, where);
  const rights = Array.isArray(parcel.rights) ? parcel.rights : [];
  problems.expect(Array.isArray(parcel.rights), 'shape', where, 'rights is not a list');
  rights.forEach((right: unknown, i) => {
    const at = `${where}, rights[${i}]`;
    const ok = isRecord(right);
    problems.expect(ok && isOneOf(right.kind, ['OWNERSHIP', 'USE']), 'shape', at, 'kind is not OWNERSHIP or USE');
    problems.expect(ok && isNonEmptyString(right.holderName), 'shape', at, 'holderName is empty');
    problems.expect(ok && typeof right.share === 'string' && /^\d+\/\d+$/.test(right.share), 'shape', at, 'share is not a fraction like 1/2');
    problems.expect(ok && isIsoDate(right.registeredOn), 'dates', at, 'registeredOn is not an ISO date');
  });
  const restrictions = Array.isArray(parcel.restrictions) ? parcel.restrictions : [];
  problems.expect(Array.isArray(parcel.restrictions), 'shape', where, 'restrictions is not a list');
  restrictions.forEach((restriction: unknown, i) => {
    problems.expect(isRecord(restriction) && isIsoDate(restriction.registeredOn), 'dates', `${where}, restrictions[${i}]`, 'registeredOn is not an ISO date');
  });
}

export function validateVehicle(problems: Problems, vehicle: unknown, partnerId: string, where: string): void {
  if (!isRecord(vehicle)) return problems.expect(false, 'shape', where, 'is not an object');
  const vin = typeof vehicle.vin === 'string' ? vehicle.vin : '';
  const vinProblem = vin ? checkVin(vin) : 'is missing';
  problems.expect(vinProblem === null, 'identifiers', where, `VIN ${vinProblem}`);
  if (vinProblem === null) {
    problems.expect(vehicle.vinCheckDigitValid === vinCheckDigitMatches(vin), 'identifiers', where, "vinCheckDigitValid does not agree with the VIN's check character");
  }
  const plate = typeof vehicle.plate === 'string' ? vehicle.plate : '';
  const normalised = normalizePlate(plate) === plate && plate !== '';
  problems.expect(normalised, 'identifiers', where, 'plate is not a normalised Latin plate (AE1234KX)');
  if (normalised) {
    const cyrillic = vehicle.plateCyrillic;
    problems.expect(typeof cyrillic === 'string' && plateToCyrillic(plate) === cyrillic && normalizePlate(cyrillic) === plate, 'identifiers', where,
      'plateCyrillic is not the Cyrillic form of plate');
  }
  problems.expect(vehicle.partnerId === partnerId, 'source', where, 'partnerId is not the partner under check');
  problems.expect(Number.isSafeInteger(vehicle.makeYear), 'dates', where, 'makeYear is not a whole number');
  problems.expect(isNonEmptyString(vehicle.brand) && isNonEmptyString(vehicle.model), 'shape', where, 'brand or model is empty');
  problems.expect(vehicle.engineCapacityCm3 === null || isCount(vehicle.engineCapacityCm3), 'shape', where, 'engineCapacityCm3 is neither null nor a whole number');
  problems.expect(isCount(vehicle.ownWeightKg) && isCount(vehicle.totalWeightKg), 'shape', where, 'weights are not whole numbers of kg');
  const registration = vehicle.registration;
  problems.expect(isRecord(registration) && isIsoDate(registration.date), 'dates', where, 'registration.date is not an ISO date');
  problems.expect(isRecord(registration) && isOneOf(registration.ownerKind, ['PERSON', 'LEGAL_ENTITY']), 'shape', where, 'registration.ownerKind is not PERSON or LEGAL_ENTITY');
  const certificate = vehicle.certificate;
  problems.expect(isRecord(certificate) && isIsoDate(certificate.firstRegisteredOn), 'dates', where, 'certificate.firstRegisteredOn is not an ISO date');
  expectLiveSource(problems, vehicle.source, partnerId, where);
}

/** An extract: its document is the bytes the partner vouched for. */
export function validateExtract(problems: Problems, extract: unknown, partnerId: string, subject: string, where: string): void {
  if (!isRecord(extract)) return problems.expect(false, 'shape', where, 'is not an object');
  problems.expect(extract.subject === subject, 'extract', where, 'subject is not what was asked for');
  problems.expect(isNonEmptyString(extract.number) && isNonEmptyString(extract.content), 'shape', where, 'number or content is empty');
  problems.expect(isIsoDateTime(extract.issuedAt), 'dates', where, 'issuedAt is not an ISO date-time in UTC');
  expectLiveSource(problems, extract.source, partnerId, where);
  const doc = extract.document;
  if (!isRecord(doc) || typeof doc.base64 !== 'string') return problems.expect(false, 'extract', where, 'document has no base64 content');
  problems.expect(/^[A-Za-z0-9+/]*={0,2}$/.test(doc.base64) && doc.base64.length % 4 === 0, 'extract', where, 'document.base64 is not base64');
  const bytes = Buffer.from(doc.base64, 'base64');
  problems.expect(bytes.length > 0 && bytes.length === doc.sizeBytes, 'extract', where, 'document.base64 does not decode to sizeBytes bytes');
  problems.expect(createHash('sha256').update(bytes).digest('hex') === doc.sha256, 'extract', where, 'the SHA-256 of the decoded document is not document.sha256');
  problems.expect(isNonEmptyString(doc.mediaType) && isNonEmptyString(doc.fileName), 'shape', where, 'document.mediaType or fileName is empty');
}

/** Values of a parcel or vehicle that must never reach a log line. */
export function registryPersonalValues(item: unknown): string[] {
  if (!isRecord(item)) return [];
  const rights = Array.isArray(item.rights) ? item.rights : [];
  const holders = rights.map((r: unknown) => (isRecord(r) ? r.holderName : undefined));
  const certificate = isRecord(item.certificate) ? `${String(item.certificate.series)}${String(item.certificate.number)}` : undefined;
  const number = isRecord(item.certificate) ? item.certificate.number : undefined;
  return [item.address, item.vin, item.plate, item.plateCyrillic, item.cadastralNumber, certificate, number, ...holders]
    .filter((v): v is string => typeof v === 'string');
}
