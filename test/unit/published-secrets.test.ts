import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../domain/project-root.js';
import { SECRET_NAMES } from '../../stack/secrets.js';
import { PUBLISHED_SECRETS } from '../../stack/published-secrets.js';

/**
 * Every value the repository assigns to a secret's variable (or to the options that carry one)
 * must be in the denylist, so a production start refuses it: a value published in a compose
 * default, the README, `.env.example` or a test is no secret.
 */

const NAMES = [...SECRET_NAMES, 'SEAL_KEY', 'assertionSecret', 'trailKey', 'trailSealKey', 'sealKey', 'cacheKeySecret', 'hashSecret'];
const CODE = /\.(c|m)?(ts|js)$|\.json$|\.md$/;

const unquote = (value: string) => (/^(['"`]).*\1$/s.test(value) ? value.slice(1, -1) : value);

/**
 * The literal values `text` assigns to `variable`, or to a name ending in it (`TEST_TRAIL_KEY`,
 * `ownTrailKey`): `NAME=value`, `NAME: value`, `${NAME:-value}`, `name = 'value'`.
 */
export function assignedValues(text: string, variable: string, file: string): string[] {
  const code = CODE.test(file);
  const name = /^[A-Z_]+$/.test(variable)
    ? `(?:[\\w$]*_)?${variable}`
    : `(?:(?:[\\w$]*)${variable[0].toUpperCase()}|${variable[0]})${variable.slice(1)}`;
  const quoted = `"[^"\\n]*"|'[^'\\n]*'|\`[^\`\\n]*\``;
  const literalEnd = `(?=\\s*(?:[,;)}\\]]|$))`;
  const patterns = [
    // ${NAME:-value}, ${NAME-value}, ${NAME:=value}: a compose or shell fallback.
    new RegExp(`\\$\\{${name}:?[-=]([^}]*)\\}`, 'g'),
    // NAME=value (.env, shell); in code and prose only a bare token, as quotes there close a string.
    new RegExp(`(?<![\\w$])${name}=(${code ? '' : `${quoted}|`}[^\\s'"\`;&|)(}{$][^\\s'"\`;&|)(}{]*)`, 'g'),
    // NAME: value (YAML); in code and prose only a string literal that ends the expression.
    new RegExp(`(?<![\\w$])['"]?${name}['"]?:[ \\t]+(${code ? `(?:${quoted})${literalEnd}` : `${quoted}|[^\\s$#'"][^\\s#]*`})`, 'gm'),
    // name = 'value' (a constant in code).
    new RegExp(`(?<![\\w$.])${name}\\s*=\\s*(${quoted})${literalEnd}`, 'gm'),
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => unquote(match[1].trim())))
    .filter((value) => value !== '' && !value.includes('${'));
}

function repositoryTextFiles(): string[] {
  const root = projectRoot();
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return [...new Set(listed.split('\0').filter(Boolean))].filter((file) => file !== 'package-lock.json').flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      return []; // listed but deleted in the working tree
    }
    return text.includes('\0') ? [] : [file];
  });
}

describe('the denylist of published secrets', () => {
  it('holds every value a file in the repository assigns to a secret', () => {
    const root = projectRoot();
    const missing: string[] = [];
    for (const file of repositoryTextFiles()) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const name of NAMES) {
        for (const value of assignedValues(text, name, file)) if (!PUBLISHED_SECRETS.has(value)) missing.push(`${file}: ${name}: ${value}`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('finds fallbacks, .env lines, YAML values and constants, and skips variables and interpolations', () => {
    const n = 'TRAIL_KEY';
    const yaml = [`  ${n}: \${${n}:-fallback-one}`, `  ${n}: plain-two`, `  ${n}: \${${n}:?set it}`, `  ${n}: "quoted-three"`].join('\n');
    expect(assignedValues(yaml, n, 'docker-compose.yml')).toEqual(['fallback-one', 'plain-two', 'quoted-three']);
    expect(assignedValues(`${n}=four\n${n}=\n${n}=$(openssl rand -base64 32)\n`, n, '.env.example')).toEqual(['four']);
    expect(assignedValues(`${n}=five npm start`, n, 'README.md')).toEqual(['five']);
    const ts = [`export const ${n} = 'six';`, `const env = { ${n}: 'seven', other: 1 };`, `call({ ${n}: key });`, `throw new Error('${n}: must be set');`,
      `const x = { ${n}: 'x'.repeat(32) };`, `const t = \`${n}=\${value}\`;`].join('\n');
    expect(assignedValues(ts, n, 'test/x.test.ts')).toEqual(['seven', 'six']);
    expect(assignedValues(`export const TEST_${n} = 'eight';\nconst SUB${n} = 'no';`, n, 'test/x.ts')).toEqual(['eight']);
    const camel = 'trailKey';
    const options = `open({ own${camel[0].toUpperCase()}${camel.slice(1)}: 'nine', ${camel}: 'ten', x${camel}: 'no' });`;
    expect(assignedValues(options, camel, 'test/x.ts')).toEqual(['nine', 'ten']);
  });
});
