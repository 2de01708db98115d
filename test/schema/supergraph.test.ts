import { composeFromFiles, readCheckedInSupergraph } from '../../schema/index.js';

describe('the checked-in supergraph', () => {
  it('is what the subgraphs\' SDL composes into (run `npm run compose` when this fails)', () => {
    expect(readCheckedInSupergraph()).toBe(composeFromFiles());
  });
});
