import { memorandumWith, gql, resetCallCounts, startTestStack, type TestStack } from '../helpers/stack.js';
import { openTestTrail, type TestTrail } from '../helpers/trail.js';
import type { TrailEntry } from '../../audit/record.js';

/**
 * Issuing a registry extract is a mutation, recorded as an ISSUANCE before the registry is asked;
 * reading an issued extract is a query that asks no partner. Listings are not cached here (each
 * issuance asks the registry for the citizen's items), issued extracts are kept as in production.
 */

const A = '3111901220';
const B = '2660404572';
const A_PARCEL = '1211000000:02:015:0042';
const A_VIN = 'WVWZZZAUZHW123456';
const ISSUE_PARCEL = `mutation IssueParcel($taxId: ID!, $n: ID!, $purpose: String!) {
  issueParcelExtract(taxId: $taxId, cadastralNumber: $n, purpose: $purpose) {
    taxId cadastralNumber purpose
    extract { number issuedAt registry registrar subject source { partner { id } freshness } }
  } }`;
const ISSUE_VEHICLE = `mutation IssueVehicle($taxId: ID!, $vin: ID!, $purpose: String!) {
  issueVehicleRegistrationExtract(taxId: $taxId, vin: $vin, purpose: $purpose) {
    vin purpose extract { number subject registry source { partner { id } freshness } }
  } }`;
const READ = `query Read($taxId: ID!) { citizen(taxId: $taxId) {
  landParcels { cadastralNumber issuedExtract { number subject source { freshness } } }
  vehicles { vin issuedExtract { number } } } }`;
const PURPOSE = 'для нотаріуса, справа 17/2026';

let stack: TestStack;
let trail: TestTrail;
/** While true, every write to the trail fails, as when its database is down. */
let trailDown = false;

beforeAll(async () => {
  trail = await openTestTrail();
  const writer = {
    appendMany: (entries: readonly TrailEntry[]) => (trailDown ? Promise.reject(new Error('the trail is down')) : trail.appendMany(entries)),
    forSubject: trail.forSubject.bind(trail),
  };
  const memorandum = await memorandumWith((entry) => {
    entry.connection.cacheTtlSeconds = { ...entry.connection.cacheTtlSeconds, records: 0 };
    entry.connection.maxStaleSeconds = 0;
  });
  stack = await startTestStack({ memorandum, trail: writer, securityLog: trail.securityLog });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await trail?.dispose();
});
beforeEach(() => { trailDown = false; resetCallCounts(stack); });

const stats = (id: string) => stack.emulators.get(id)!.emulator.stats.byOperation;
const asCitizen = async (taxId: string) => ({ authorization: `Bearer ${await stack.token({ kind: 'citizen', taxId })}` });
const newest = async (taxId: string) => (await trail.forSubject(taxId, { first: 1 })).records[0];

const PARCEL_EXTRACT = {
  number: 'НВ-660443937384', issuedAt: '2026-11-22T09:00:00.000Z', registry: 'Державний земельний кадастр',
  registrar: 'Державний кадастровий реєстратор Відділу у м. Кривому Розі Головного управління Держгеокадастру у Дніпропетровській області Левченко Ірина Миколаївна', subject: A_PARCEL,
  source: { partner: { id: 'cadastre-dzk' }, freshness: 'LIVE' },
};

describe('issuing an extract', () => {
  it('issues a parcel extract for staff, recorded as an issuance with its purpose, and issues again when asked again', async () => {
    const answer = await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: A, n: A_PARCEL, purpose: PURPOSE }, { 'x-purpose': '' });
    expect(answer).toEqual({ data: { issueParcelExtract: { taxId: A, cadastralNumber: A_PARCEL, purpose: PURPOSE, extract: PARCEL_EXTRACT } } });
    expect(stats('cadastre-dzk')).toEqual({ parcelsByOwner: 1, parcelExtract: 1 });
    const record = await newest(A);
    expect(record).toEqual({
      seq: expect.any(Number), at: expect.any(String), action: 'ISSUANCE', actor: { kind: 'staff', staffId: expect.any(String), centre: expect.any(String) },
      subject: expect.any(String), institution: 'ЦНАП м. Кривий Ріг', official: 'Ірина Левченко', purpose: PURPOSE, operation: 'IssueParcel',
      domains: ['cadastre'], partners: [{ id: 'cadastre-dzk', outcome: 'ANSWERED' }], outcome: 'ANSWERED', refusal: null,
      completion: { seq: record.seq + 1, at: expect.any(String) },
    });

    // A mutation is not a cached read: the second issues again, and is recorded again.
    expect(await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: A, n: A_PARCEL, purpose: PURPOSE })).toEqual(answer);
    expect(stats('cadastre-dzk')).toEqual({ parcelsByOwner: 2, parcelExtract: 2 });
    expect((await newest(A)).seq).toBe(record.seq + 2);
  });

  it('issues once per call when several desks issue the same extract at once: issuances are never shared, each is recorded', async () => {
    const before = (await trail.forSubject(B, { first: 100 })).records.length;
    const answers = await Promise.all([1, 2, 3].map(() => gql(stack.gatewayUrl, ISSUE_VEHICLE, { taxId: B, vin: 'JTNB11HK1KU048213', purpose: PURPOSE })));
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined]);
    // Their listings (reads) may share a partner call; their issuances never do.
    expect(stats('vehicles-mvs').registrationExtract).toBe(3);
    const records = (await trail.forSubject(B, { first: 100 })).records;
    expect(records.slice(0, records.length - before).map((r) => [r.action, r.outcome])).toEqual([1, 2, 3].map(() => ['ISSUANCE', 'ANSWERED']));
  });

  it('lets a citizen issue their own vehicle extract, and shows them the issuance in their access log', async () => {
    const answer = await gql(stack.gatewayUrl, ISSUE_VEHICLE, { taxId: A, vin: A_VIN.toLowerCase(), purpose: 'продаж авто' }, await asCitizen(A));
    expect(answer).toEqual({ data: { issueVehicleRegistrationExtract: {
      vin: A_VIN, purpose: 'продаж авто',
      extract: { number: 'ТЗ-314659381865', subject: A_VIN, registry: 'Єдиний державний реєстр транспортних засобів МВС', source: { partner: { id: 'vehicles-mvs' }, freshness: 'LIVE' } },
    } } });
    expect(stats('vehicles-mvs')).toEqual({ registrationsByOwner: 1, registrationExtract: 1 });
    // The newest record of the citizen's trail is this issuance (the log's own reading is recorded once it is answered).
    const log = await gql(stack.gatewayUrl, `query MyLog { me { accessLog(first: 1) { edges { node {
      action institution official purpose operation domains partners { partnerId outcome } outcome } } } } }`, {}, await asCitizen(A));
    expect(log).toEqual({ data: { me: { accessLog: { edges: [
      { node: {
        action: 'ISSUANCE', institution: 'Портал громадянина', official: null, purpose: 'продаж авто', operation: 'IssueVehicle', domains: ['VEHICLES'],
        partners: [{ partnerId: 'vehicles-mvs', outcome: 'ANSWERED' }], outcome: 'ANSWERED',
      } },
    ] } } } });
  });

  it('refuses a citizen issuing about someone else: FORBIDDEN, nothing asked, the refusal recorded in that person\'s trail', async () => {
    const answer = await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: B, n: '1211000000:02:015:0107', purpose: PURPOSE }, await asCitizen(A));
    expect(answer).toEqual({ data: null, errors: [{
      message: 'a citizen may have extracts issued only about themself', path: ['issueParcelExtract'],
      extensions: { code: 'FORBIDDEN', retryable: false },
    }] });
    expect(stats('cadastre-dzk')).toEqual({});
    expect(await newest(B)).toMatchObject({ action: 'ISSUANCE', operation: 'IssueParcel', outcome: 'REFUSED', refusal: 'FORBIDDEN', completion: null });
  });

  it('issues nothing for an item the registry does not list for the citizen: NOT_FOUND, the issuance recorded as refused', async () => {
    const answer = await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: B, n: A_PARCEL, purpose: PURPOSE });
    expect(answer).toEqual({
      data: { issueParcelExtract: { taxId: B, cadastralNumber: A_PARCEL, purpose: PURPOSE, extract: null } },
      errors: [{
        message: 'the cadastre registry lists no such item for this citizen: no extract was issued', path: ['issueParcelExtract', 'extract'],
        extensions: { code: 'NOT_FOUND', retryable: false },
      }],
    });
    expect(stats('cadastre-dzk')).toEqual({ parcelsByOwner: 1 });
    expect(await newest(B)).toMatchObject({ action: 'ISSUANCE', purpose: PURPOSE, outcome: 'REFUSED', refusal: 'NOT_FOUND', completion: expect.any(Object) });
  });

  it('records the issuance before the registry is asked: with the trail down, TRAIL_UNAVAILABLE and no partner call', async () => {
    trailDown = true;
    const answer = await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: A, n: A_PARCEL, purpose: PURPOSE });
    expect(answer).toEqual({ data: null, errors: [{
      message: 'the look-up could not be recorded in the access trail, so no partner was asked; try again shortly',
      extensions: { code: 'TRAIL_UNAVAILABLE', retryable: true },
    }] });
    expect(stats('cadastre-dzk')).toEqual({});
  });

  it('refuses a purpose that breaks the text rules, and staff without the domain\'s scope, before anything is recorded or asked', async () => {
    const before = (await newest(A)).seq;
    const bad = await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: A, n: A_PARCEL, purpose: 'a\u202eb c' });
    expect(bad.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['purpose: must not contain control, format or bidirectional characters', 'BAD_USER_INPUT']]);
    expect((await newest(A)).seq).toBe(before);
    const gasOnly = { authorization: `Bearer ${await stack.token({ kind: 'staff', scopes: ['gas:read'] })}` };
    const unscoped = await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: A, n: A_PARCEL, purpose: PURPOSE }, gasOnly);
    expect(unscoped.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['issuing this extract needs the cadastre:read scope', 'FORBIDDEN']]);
    expect(stats('cadastre-dzk')).toEqual({});
    expect(await newest(A)).toMatchObject({ action: 'ISSUANCE', operation: 'IssueParcel', outcome: 'REFUSED', refusal: 'FORBIDDEN', completion: null });
  });

  it('issues and records nothing when the answer does not ask for the extract', async () => {
    const before = (await newest(A)).seq;
    const answer = await gql(stack.gatewayUrl, `mutation Echo($taxId: ID!, $n: ID!) { issueParcelExtract(taxId: $taxId, cadastralNumber: $n, purpose: "справа 1/2026") { taxId cadastralNumber } }`,
      { taxId: A, n: A_PARCEL });
    expect(answer).toEqual({ data: { issueParcelExtract: { taxId: A, cadastralNumber: A_PARCEL } } });
    expect(stats('cadastre-dzk')).toEqual({});
    expect((await newest(A)).seq).toBe(before);
  });

  it('is refused by the registry\'s subgraph for an issuance the gateway did not record', async () => {
    const answer = await stack.subgraphGql('cadastre', `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ParcelExtractIssuance { extract { number } } } }`,
      { r: [{ __typename: 'ParcelExtractIssuance', taxId: A, cadastralNumber: A_PARCEL, purpose: PURPOSE }] }, { recorded: false });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(stats('cadastre-dzk')).toEqual({});
  });
});

describe('reading an issued extract', () => {
  it('is a query that issues nothing: the last issued extract, or null', async () => {
    await gql(stack.gatewayUrl, ISSUE_PARCEL, { taxId: A, n: A_PARCEL, purpose: PURPOSE });
    await gql(stack.gatewayUrl, ISSUE_VEHICLE, { taxId: A, vin: A_VIN, purpose: PURPOSE });
    resetCallCounts(stack);
    // No extract is ever issued for B's parcels in this file.
    const answer = await gql(stack.gatewayUrl, `query ReadParcels($taxId: ID!) { citizen(taxId: $taxId) { landParcels { cadastralNumber issuedExtract { number } } } }`, { taxId: B });
    expect(stats('cadastre-dzk')).toEqual({ parcelsByOwner: 1 });
    expect(answer).toEqual({ data: { citizen: {
      landParcels: [{ cadastralNumber: '1211000000:02:015:0107', issuedExtract: null }, { cadastralNumber: '1222083600:01:002:0315', issuedExtract: null }],
    } } });
    resetCallCounts(stack);
    const own = await gql(stack.gatewayUrl, READ, { taxId: A });
    expect(stats('cadastre-dzk')).toEqual({ parcelsByOwner: 1 });
    expect(stats('vehicles-mvs')).toEqual({ registrationsByOwner: 1 });
    expect(own).toEqual({ data: { citizen: {
      landParcels: [{ cadastralNumber: A_PARCEL, issuedExtract: { number: PARCEL_EXTRACT.number, subject: A_PARCEL, source: { freshness: 'CACHED' } } }],
      vehicles: [{ vin: A_VIN, issuedExtract: { number: 'ТЗ-314659381865' } }],
    } } });
  });
});
