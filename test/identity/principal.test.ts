import { DEMO_STAFF } from '../../identity/dev-issuer.js';
import { ALL_SCOPES, claimsFromPrincipal, principalFromClaims, PrincipalClaimsError } from '../../identity/principal.js';

const STAFF = { sub: 'staff-0042', vikno_role: 'staff', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scope: 'gas:read' };

function refusal(claims: Record<string, unknown>): Record<string, unknown> {
  try {
    principalFromClaims(claims);
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
  throw new Error('expected the claims to be refused');
}

const refused = (message: string) => ({ error: PrincipalClaimsError.name, message });
const SUB_RULE = "a staff token's sub must be an id of up to 100 letters, digits and . _ @ : + - that starts with a letter or digit";

describe('principalFromClaims for staff', () => {
  it('accepts the development issuer’s demo staff member as they are', () => {
    expect(principalFromClaims({ ...claimsFromPrincipal({ kind: 'staff', ...DEMO_STAFF, scopes: ALL_SCOPES }) })).toEqual({
      kind: 'staff', id: 'staff-0042', name: 'Ірина Левченко', centre: 'ЦНАП м. Кривий Ріг', scopes: ALL_SCOPES,
    });
  });

  it.each(['s', 'officer.17@cnap-kr:ua+2', 'A'.repeat(100)])('accepts the opaque staff id %s', (sub) => {
    expect(principalFromClaims({ ...STAFF, sub })).toMatchObject({ kind: 'staff', id: sub });
  });

  it.each([
    ['an encoded CR/LF', 'staff-0042%0d%0aX-Injected'],
    ['a raw CR/LF', 'staff-0042\r\nX-Injected'],
    ['a space', 'staff 0042'],
    ['a percent sign', 'staff%2D0042'],
    ['Cyrillic', 'співробітник-42'],
    ['a right-to-left override', 'staff-0042\u202E'],
    ['a leading dot', '.staff-0042'],
    ['101 characters', 'A'.repeat(101)],
  ])('refuses a staff sub with %s, naming the claim only', (_, sub) => {
    expect(refusal({ ...STAFF, sub })).toEqual(refused(SUB_RULE));
  });

  it.each([
    ['name', 'a zero-width space', 'Ірина\u200BЛевченко', 'must not contain control, format or bidirectional characters'],
    ['name', 'a right-to-left override', 'Ірина \u202EЛевченко', 'must not contain control, format or bidirectional characters'],
    ['centre', 'a CR/LF', 'ЦНАП\r\nм. Кривий Ріг', 'must not contain control, format or bidirectional characters'],
    ['centre', 'a private-use character', 'ЦНАП \uE000', 'must not contain unpaired surrogates, private-use or unassigned characters'],
    ['name', 'one letter', 'І', 'must contain at least 2 letters or digits'],
    ['centre', '101 characters', 'Ц'.repeat(101), 'must be at most 100 characters'],
  ])("refuses a staff %s with %s, naming the claim only", (claim, _, value, rule) => {
    expect(refusal({ ...STAFF, [claim]: value })).toEqual(refused(`a staff token's ${claim} ${rule}`));
  });

  it('gives the name and centre in NFC, trimmed', () => {
    expect(principalFromClaims({ ...STAFF, name: ' Андрій Шевчук ', centre: 'ЦНАП м. Киі\u0308в\u00A0' })).toEqual({
      kind: 'staff', id: 'staff-0042', name: 'Андрій Шевчук', centre: 'ЦНАП м. Київ', scopes: ['gas:read'],
    });
  });

  it('still needs a sub, a name and a centre', () => {
    expect([refusal({ ...STAFF, sub: ' ' }), refusal({ ...STAFF, name: undefined }), refusal({ ...STAFF, centre: 42 })]).toEqual([
      refused('a staff token needs a sub'), refused('a staff token needs a name'), refused('a staff token needs a centre'),
    ]);
  });
});

describe('principalFromClaims for citizens', () => {
  it('accepts a valid РНОКПП and refuses one whose check digit does not match', () => {
    expect(principalFromClaims({ sub: '3111901220', vikno_role: 'citizen' })).toEqual({ kind: 'citizen', taxId: '3111901220' });
    expect(refusal({ sub: '3111901221', vikno_role: 'citizen' })).toEqual(refused("the citizen's sub check digit does not match"));
  });
});
