import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Reads the export's XML. Attributes are kept (under "@NAME"), values stay strings (an account
 * number's leading zeros, an amount's exact digits) and the elements that repeat are always lists,
 * even with one item, so the payload schemas see one shape.
 */

const LIST_ELEMENTS = new Set(['abonent', 'rakhunok', 'misiats', 'taryf', 'skladova']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

/** The parsed document, or null when the text is not well-formed XML. */
export function readXml(text: unknown): unknown {
  if (typeof text !== 'string' || XMLValidator.validate(text) !== true) return null;
  try {
    return parser.parse(text);
  } catch {
    return null; // e.g. entity expansion beyond the parser's limits
  }
}
