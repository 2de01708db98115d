/**
 * `node --import ./test/helpers/ts-loader.mjs some.ts`: runs the project's TypeScript in a child
 * process without a build, for tests that need a process of their own (the conformance suite's
 * time-zone runs set TZ, which only takes effect for a whole process). Each .ts file is transpiled
 * with TypeScript's transpileModule (no type-check; `npm test` type-checks), and a relative `.js`
 * import resolves to the `.ts` file beside it, as tsc's NodeNext resolution does.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
