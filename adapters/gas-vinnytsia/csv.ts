import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { PartnerBadResponseError } from '../../domain/errors.js';

/**
 * Reading one of the partner's 1C text exports: windows-1251 bytes, `;`-separated, a header row.
 * Anything wrong with the file as a whole (bytes that are not windows-1251, broken quoting, rows
 * of the wrong width, expected columns missing) is PARTNER_BAD_RESPONSE for the whole call: no
 * row of such a file can be trusted. Columns are found by their header, so a column the partner
 * adds or moves does not break the adapter.
 */

/** Our field name → the partner's column header. */
export type Columns<K extends string> = Readonly<Record<K, string>>;

export function readExport<K extends string>(partnerId: string, body: unknown, columns: Columns<K>, what: string): Array<Record<K, string>> {
  if (!Buffer.isBuffer(body)) throw new PartnerBadResponseError(partnerId, `the partner's ${what} is not a file`);
  const text = iconv.decode(body, 'windows-1251');
  // 0x98 is the one byte windows-1251 leaves undefined; it decodes to U+FFFD.
  if (text.includes('\ufffd')) throw new PartnerBadResponseError(partnerId, `the partner's ${what} is not windows-1251 text`);

  let rows: string[][];
  try {
    rows = parse(text, { delimiter: ';', skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new PartnerBadResponseError(partnerId, `the partner's ${what} is not readable CSV`, { cause: error });
  }

  const [header = [], ...records] = rows;
  const keys = Object.keys(columns) as K[];
  const index = new Map(keys.map((key) => [key, header.indexOf(columns[key])]));
  // A UTF-8 file read as windows-1251 (or an HTML error page) fails here: its header is not ours.
  if ([...index.values()].some((i) => i < 0)) {
    throw new PartnerBadResponseError(partnerId, `the partner's ${what} does not have the expected columns`);
  }
  return records.map((record) => Object.fromEntries(keys.map((key) => [key, record[index.get(key)!].trim()])) as Record<K, string>);
}
