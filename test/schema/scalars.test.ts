import { graphql, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { scalarResolvers } from '../../subgraphs/kit/scalars.js';

/** The shared scalars as a client meets them: strings on the wire both ways, checked, never converted. */

const typeDefs = parse(`
  scalar Date scalar DateTime scalar Decimal scalar YearMonth
  type Echo { date: Date dateTime: DateTime decimal: Decimal yearMonth: YearMonth }
  type Query {
    out(date: String, dateTime: String, decimal: String, yearMonth: String, number: Float): Echo
    decimal(value: Decimal!): Decimal
    date(value: Date!): Date
  }
`);
const schema = buildSubgraphSchema({
  typeDefs,
  resolvers: {
    ...scalarResolvers(typeDefs),
    Query: {
      out: (_: unknown, args: Record<string, unknown>) => ({ ...args, ...(args.number === undefined ? {} : { decimal: args.number }) }),
      decimal: (_: unknown, { value }: { value: unknown }) => value,
      date: (_: unknown, { value }: { value: unknown }) => value,
    },
  } as never,
});
const run = async (source: string, variableValues?: Record<string, unknown>) => JSON.parse(JSON.stringify(await graphql({ schema, source, variableValues })));

describe('the shared scalars', () => {
  it('send what the model holds unchanged', async () => {
    expect(await run(`{ out(date: "2026-02-28", dateTime: "2026-11-22T09:00:00.000Z", decimal: "-21474836.48", yearMonth: "2026-10") {
      date dateTime decimal yearMonth } }`)).toEqual({
      data: { out: { date: '2026-02-28', dateTime: '2026-11-22T09:00:00.000Z', decimal: '-21474836.48', yearMonth: '2026-10' } },
    });
  });

  it('refuse to send a value that is not what the scalar says, and a float as a Decimal', async () => {
    expect(await run('{ out(date: "2026-02-30", dateTime: "yesterday", yearMonth: "2026-13") { date dateTime yearMonth } }')).toEqual({
      data: { out: { date: null, dateTime: null, yearMonth: null } },
      errors: [
        { message: 'Date must be a date YYYY-MM-DD, got "2026-02-30"', locations: [{ line: 1, column: 74 }], path: ['out', 'date'] },
        { message: 'DateTime must be an RFC 3339 date-time, got "yesterday"', locations: [{ line: 1, column: 79 }], path: ['out', 'dateTime'] },
        { message: 'YearMonth must be a month YYYY-MM, got "2026-13"', locations: [{ line: 1, column: 88 }], path: ['out', 'yearMonth'] },
      ],
    });
    expect(await run('{ out(number: 1234.56) { decimal } }')).toEqual({
      data: { out: { decimal: null } },
      errors: [{ message: 'Decimal must be a string (a decimal string such as "-1234.56"), got a number', locations: [{ line: 1, column: 26 }], path: ['out', 'decimal'] }],
    });
  });

  it('take a Decimal in input only as a decimal string, in the query or in variables', async () => {
    expect(await run('{ decimal(value: "0.0800") }')).toEqual({ data: { decimal: '0.0800' } });
    expect(await run('query($v: Decimal!) { decimal(value: $v) }', { v: '-5' })).toEqual({ data: { decimal: '-5' } });
    expect(await run('{ decimal(value: 1234.56) }')).toEqual({
      errors: [{ message: 'Decimal must be a string (a decimal string such as "-1234.56"), got a number', locations: [{ line: 1, column: 18 }] }],
    });
    expect(await run('query($v: Decimal!) { decimal(value: $v) }', { v: 1234.56 })).toEqual({
      errors: [{ message: 'Variable "$v" got invalid value 1234.56; Decimal must be a string (a decimal string such as "-1234.56"), got a number', locations: [{ line: 1, column: 7 }] }],
    });
    expect(await run('{ decimal(value: "1e3") }')).toEqual({
      errors: [{ message: 'Decimal must be a decimal string such as "-1234.56", got "1e3"', locations: [{ line: 1, column: 18 }] }],
    });
    expect(await run('{ date(value: "2026-02-29") }')).toEqual({
      errors: [{ message: 'Date must be a date YYYY-MM-DD, got "2026-02-29"', locations: [{ line: 1, column: 15 }] }],
    });
  });
});
