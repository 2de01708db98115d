import { GraphQLError, GraphQLScalarType, Kind, type DocumentNode, type ValueNode } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';

/**
 * The custom scalars of schema/shared/scalars.graphql, validated both ways. Date and DateTime are
 * checked by graphql-scalars' RFC 3339 validators, but the string the model holds is sent as it is
 * (graphql-scalars would turn a DateTime into a JS Date and re-print it) and an input stays a string,
 * so the wire is what the domain model says. Decimal and YearMonth are ours: graphql-scalars has no
 * exact decimal (its numeric scalars are floats) and no year-month.
 */

/** A scalar that is a validated string on the wire, in and out: never a number, never converted. */
function stringScalar(name: string, description: string, valid: (text: string) => boolean, expected: string): GraphQLScalarType<string, string> {
  const check = (value: unknown, nodes?: ValueNode): string => {
    if (typeof value !== 'string') {
      throw new GraphQLError(`${name} must be a string (${expected}), got ${typeof value === 'number' ? 'a number' : JSON.stringify(value) ?? typeof value}`, { nodes });
    }
    if (!valid(value)) throw new GraphQLError(`${name} must be ${expected}, got ${JSON.stringify(value)}`, { nodes });
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => check(value),
    parseValue: (value) => check(value),
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string (${expected}), got ${ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? 'a number' : ast.kind}`, { nodes: ast });
      return check(ast.value, ast);
    },
  });
}

/** Whether graphql-scalars' scalar accepts the text (its serialize throws when it does not). */
function accepts(scalar: GraphQLScalarType, text: string): boolean {
  try {
    scalar.serialize(text);
    return true;
  } catch {
    return false;
  }
}

export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;
const YEAR_MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export const DateScalar = stringScalar('Date', 'A calendar date, ISO 8601 (YYYY-MM-DD).', (t) => accepts(DateResolver, t), 'a date YYYY-MM-DD');

export const DateTimeScalar = stringScalar(
  'DateTime', 'A point in time, RFC 3339 (2026-11-22T09:15:00.000Z).', (t) => accepts(DateTimeResolver, t), 'an RFC 3339 date-time',
);

export const DecimalScalar = stringScalar(
  'Decimal', 'An exact decimal number as a string: an optional minus, digits, an optional point and fraction ("-1234.56").',
  (t) => DECIMAL_PATTERN.test(t), 'a decimal string such as "-1234.56"',
);

export const YearMonthScalar = stringScalar('YearMonth', 'A calendar month, YYYY-MM.', (t) => YEAR_MONTH_PATTERN.test(t), 'a month YYYY-MM');

const SCALARS = [DateScalar, DateTimeScalar, DecimalScalar, YearMonthScalar];

/** The scalar resolvers for the scalars a subgraph's SDL declares (buildSubgraphSchema wants no others). */
export function scalarResolvers(typeDefs: DocumentNode): Record<string, GraphQLScalarType> {
  const declared = new Set(typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])));
  return Object.fromEntries(SCALARS.filter((s) => declared.has(s.name)).map((s) => [s.name, s]));
}
