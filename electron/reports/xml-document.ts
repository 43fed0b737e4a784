import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DecodeError, strictUtf8 } from './report-decode.ts';

/** A parsed XML element: child elements and text, with namespace prefixes removed. */
export type XmlNode = { readonly [name: string]: XmlValue };
/** A value in a parsed XML tree. */
export type XmlValue = string | XmlNode | readonly XmlValue[];

// Elements that may repeat; everything else is read as a single value.
const REPEATED = new Set(['record', 'dkim', 'spf', 'reason', 'error']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name, path) => REPEATED.has(name) && !/policy_evaluated\.(dkim|spf)$/.test(String(path)),
});

/** Reads an XML document's bytes in the encoding its declaration names (UTF-8 unless it says Latin-1). */
function xmlText(name: string, bytes: Buffer): string {
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  if (declared === 'iso-8859-1' || declared === 'latin1' || declared === 'windows-1252') return new TextDecoder('windows-1252').decode(bytes);
  return strictUtf8(name, bytes);
}

/** Parses a document after strict checks: valid UTF-8 (or declared Latin-1), well-formed, and no DTD (no entity expansion). */
export function parseXmlDocument(name: string, bytes: Buffer): XmlNode {
  const text = xmlText(name, bytes);
  // Reports never carry a DTD; refusing one rules out entity-expansion and external-entity tricks.
  if (/<!DOCTYPE/i.test(text)) throw new DecodeError(`${name} declares a DTD, which no report has (refused)`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DecodeError(`${name} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  return parser.parse(text) as XmlNode;
}

/** The child element `key` of `node` as an element, or null. */
export function child(node: XmlValue | undefined, key: string): XmlNode | null {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  const value = (node as XmlNode)[key];
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return null;
  return value as XmlNode;
}

/** The text of child `key` (trimmed; an element's own `#text` counts), or null when absent or empty. */
export function text(node: XmlValue | undefined, key: string): string | null {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  const value = (node as XmlNode)[key];
  const raw = typeof value === 'string' ? value : value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode)['#text'] : undefined;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
}

/** The repeated children `key` of `node`, as elements. */
export function children(node: XmlValue | undefined, key: string): XmlNode[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  const value = (node as XmlNode)[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v));
}
