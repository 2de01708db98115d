import { bearerToken } from '../../identity/verify.js';
import { refusal, unauthenticated } from './refusal.js';

const TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln';

describe('bearerToken', () => {
  it('takes the token out of "Bearer <token>", whatever the case of the scheme', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer ${TOKEN}`)).toBe(TOKEN);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a blank header', '   '],
  ])('asks for a bearer token when there is %s', async (_, header) => {
    expect(await refusal(Promise.resolve().then(() => bearerToken(header)))).toEqual(unauthenticated('a bearer token is required'));
  });

  it.each([
    ['another scheme', `Basic ${TOKEN}`],
    ['a bare token', TOKEN],
    ['"Bearer" alone', 'Bearer'],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['characters no token has', 'Bearer <script>'],
  ])('explains the expected form when the header has %s, without repeating it', async (_, header) => {
    expect(await refusal(Promise.resolve().then(() => bearerToken(header)))).toEqual(
      unauthenticated('the authorization header must be "Bearer <token>"'),
    );
  });
});
