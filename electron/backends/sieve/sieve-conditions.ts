import type { SieveToken } from './sieve-lexer.ts';

/** Conditions longer than this are cut with an ellipsis: a label, not a second copy of the script. */
export const MAX_CONDITION_CHARS = 160;

const MATCH = ['is', 'contains', 'matches', 'regex', 'value', 'count'];
const PART = ['localpart', 'domain', 'user', 'detail'];

const cut = (text: string): string => (text.length > MAX_CONDITION_CHARS ? `${text.slice(0, MAX_CONDITION_CHARS - 1)}…` : text);
const words = (list: readonly string[] | undefined): string => (list ?? []).map((s) => (/[\s"]/.test(s) || s === '' ? JSON.stringify(s) : s)).join(' or ');
const group = (text: string): string => (/ (and|or) /.test(text) ? `(${text})` : text);

/**
 * A Sieve test (RFC 5228 §5) in words: `header :contains "from" "boss"` is "from contains boss", `address :domain
 * :is "to" "x.example"` is "to domain is x.example", `size :over 100K` is "size over 102400"; tests Mailroom has
 * no words for are named with their arguments.
 */
export function describeTest(name: string, args: readonly SieveToken[], lists: readonly (readonly string[])[], tests: readonly string[]): string {
  const tags = args.filter((a) => a.kind === 'tag').map((a) => String(a.value));
  const match = tags.find((t) => MATCH.includes(t)) ?? 'is';
  const part = tags.find((t) => PART.includes(t));
  switch (name) {
    case 'true':
      return 'always';
    case 'false':
      return 'never';
    case 'not':
      return `not ${group(tests[0] ?? '')}`;
    case 'anyof':
      return cut(tests.map(group).join(' or '));
    case 'allof':
      return cut(tests.map(group).join(' and '));
    case 'exists':
      return cut(`${words(lists[0]).replace(/ or /g, ' and ')} ${(lists[0]?.length ?? 0) > 1 ? 'exist' : 'exists'}`.toLowerCase());
    case 'size': {
      const n = args.find((a) => a.kind === 'number');
      return `size ${tags.includes('under') ? 'under' : 'over'} ${n ? String(n.value) : '?'} bytes`;
    }
    case 'header':
    case 'address':
    case 'envelope': {
      const fields = (lists[0] ?? []).map((f) => f.toLowerCase()).join('/');
      return cut(`${name === 'envelope' ? 'envelope ' : ''}${fields}${part ? ` ${part}` : ''} ${match} ${words(lists[1])}`);
    }
    case 'body':
      return cut(`body ${match} ${words(lists[0])}`);
    default:
      return cut([name, ...tags.map((t) => `:${t}`), ...lists.map((l) => words(l)), ...tests.map(group)].join(' '));
  }
}

/** The mail an if/elsif/else branch applies to, given the tests of the branches before it in its chain. */
export function describeBranch(command: string, test: string, before: readonly string[]): string {
  const none = before.length === 0 ? '' : `not ${group(before.join(' or '))}`;
  if (command === 'else') return cut(none || 'always');
  if (command === 'elsif' && none) return cut(`${none} and ${group(test)}`);
  return cut(test);
}

/** An inner condition within an outer one. */
export function both(outer: string | null, inner: string): string {
  return outer === null ? inner : cut(`${group(outer)} and ${group(inner)}`);
}
