import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { SieveSyntaxError, tokenize, type SieveToken } from './sieve-lexer.ts';
import { both, describeBranch, describeTest } from './sieve-conditions.ts';

/** One `redirect` of a Sieve script (RFC 5228 §4.2). */
export interface SieveRedirect {
  readonly target: string;
  /** `:copy` (RFC 3894): the message is also kept. */
  readonly copy: boolean;
  /** Inside an if/elsif/else: only some mail is redirected. */
  readonly conditional: boolean;
  /** Which mail, in words ("from contains boss@example.com"); null when all mail is. */
  readonly condition: string | null;
}

/** What a script does with mail that matters for routing. */
export interface SieveForwards {
  readonly redirects: readonly SieveRedirect[];
  /** An explicit keep or fileinto: the mailbox keeps (some) mail even with a plain redirect. */
  readonly keeps: boolean;
}

/** Blocks nested deeper than this are refused (a hostile script cannot exhaust the stack). */
export const MAX_DEPTH = 64;

const ADDRESS = /^[^\s@"<>()[\]\\,;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/**
 * Reads the redirects of a Sieve script with a strict parser of RFC 5228's grammar (commands, tests, blocks,
 * string lists, tags, `text:`), without running it. Targets built from variables (`${…}`) or naming a list
 * (`:list`) are not addresses and are left out. Throws SieveSyntaxError on a script the grammar refuses.
 */
export function readSieveRedirects(script: string): SieveForwards {
  const parser = new Parser(tokenize(script));
  const found = { redirects: [] as SieveRedirect[], keeps: false };
  parser.commands(0, null, found);
  if (!parser.done()) parser.fail('unexpected "}"');
  return found;
}

/**
 * A mailbox's forwarding as its Sieve redirects say: every target but itself; the copy stays when each redirect has
 * :copy or the script keeps mail. A target is conditional only when every redirect to it is.
 */
export function forwardingOf(address: string, read: SieveForwards): ForwardingInfo {
  const targets = [...new Set(read.redirects.map((r) => r.target))].filter((t) => t !== address.toLowerCase());
  const keepCopy = read.keeps || read.redirects.every((r) => r.copy);
  const conditions: Record<string, string> = {};
  for (const t of targets) {
    const to = read.redirects.filter((r) => r.target === t);
    if (to.every((r) => r.condition !== null)) conditions[t] = [...new Set(to.map((r) => r.condition!))].join(' or ');
  }
  return { address, targets, keepCopy, state: targets.length ? 'active' : 'off', ...(Object.keys(conditions).length ? { conditions } : {}) };
}

class Parser {
  readonly #tokens: readonly SieveToken[];
  #at = 0;

  constructor(tokens: readonly SieveToken[]) {
    this.#tokens = tokens;
  }

  done(): boolean {
    return this.#at >= this.#tokens.length;
  }

  fail(why: string): never {
    throw new SieveSyntaxError(`token ${this.#at + 1}: ${why}`);
  }

  #peek(): SieveToken | undefined {
    return this.#tokens[this.#at];
  }

  #isPunct(value: string): boolean {
    const t = this.#peek();
    return t?.kind === 'punct' && t.value === value;
  }

  #expect(value: string): void {
    if (!this.#isPunct(value)) this.fail(`expected "${value}"`);
    this.#at += 1;
  }

  /** commands up to a closing brace (or the end at depth 0); `condition` is the mail they apply to, null for all. */
  commands(depth: number, condition: string | null, found: { redirects: SieveRedirect[]; keeps: boolean }): void {
    if (depth > MAX_DEPTH) this.fail(`blocks nested deeper than ${MAX_DEPTH}`);
    // The tests of the current if/elsif chain: an elsif or else applies only where none of them held.
    let chain: string[] = [];
    while (!this.done() && !this.#isPunct('}')) {
      const name = this.#peek();
      if (name?.kind !== 'identifier') this.fail('expected a command');
      this.#at += 1;
      const { args, test } = this.#arguments(depth);
      if (name.value === 'if') chain = [];
      const control = name.value === 'if' || name.value === 'elsif' || name.value === 'else';
      const branch = control ? describeBranch(name.value, test ?? 'always', chain) : 'always';
      // `if true` (a common wrapper of generated scripts) applies to all mail.
      const here = branch === 'always' ? condition : both(condition, branch);
      if (name.value === 'if' || name.value === 'elsif') chain.push(test ?? 'always');
      if (this.#isPunct('{')) {
        this.#at += 1;
        this.commands(depth + 1, here, found);
        this.#expect('}');
      } else this.#expect(';');
      if (name.value === 'keep' || name.value === 'fileinto') found.keeps = true;
      if (name.value === 'redirect') {
        const strings = args.filter((a): a is { kind: 'string'; value: string } => a.kind === 'string');
        const tags = new Set(args.filter((a) => a.kind === 'tag').map((a) => a.value));
        if (strings.length !== 1) this.fail('redirect takes exactly one address');
        const target = strings[0]!.value.trim();
        if (!tags.has('list') && !target.includes('${') && ADDRESS.test(target)) found.redirects.push({ target: target.toLowerCase(), copy: tags.has('copy'), conditional: condition !== null, condition });
      }
    }
  }

  /** Arguments, then an optional test or test list; returns the plain arguments (strings flattened) and the test in words. */
  #arguments(depth: number): { args: SieveToken[]; lists: string[][]; tests: string[]; test: string | null } {
    const args: SieveToken[] = [];
    const lists: string[][] = [];
    for (;;) {
      const t = this.#peek();
      if (!t) return { args, lists, tests: [], test: null };
      if (t.kind === 'string' || t.kind === 'number' || t.kind === 'tag') {
        args.push(t);
        if (t.kind === 'string') lists.push([t.value]);
        this.#at += 1;
      } else if (t.kind === 'punct' && t.value === '[') {
        this.#at += 1;
        const list = this.#stringList();
        args.push(...list);
        lists.push(list.map((s) => String(s.value)));
      } else if (t.kind === 'identifier') {
        const test = this.#test(depth + 1);
        return { args, lists, tests: [test], test };
      } else if (t.kind === 'punct' && t.value === '(') {
        const tests = this.#testList(depth + 1);
        return { args, lists, tests, test: null };
      } else return { args, lists, tests: [], test: null };
    }
  }

  #stringList(): SieveToken[] {
    const out: SieveToken[] = [];
    for (;;) {
      const t = this.#peek();
      if (t?.kind !== 'string') this.fail('expected a string in a string list');
      out.push(t);
      this.#at += 1;
      if (this.#isPunct(']')) {
        this.#at += 1;
        return out;
      }
      this.#expect(',');
    }
  }

  /** One test, returned in words. */
  #test(depth: number): string {
    if (depth > MAX_DEPTH) this.fail(`tests nested deeper than ${MAX_DEPTH}`);
    const t = this.#peek();
    if (t?.kind !== 'identifier') this.fail('expected a test');
    this.#at += 1;
    const { args, lists, tests } = this.#arguments(depth);
    return describeTest(t.value, args, lists, tests);
  }

  #testList(depth: number): string[] {
    this.#expect('(');
    const tests: string[] = [];
    for (;;) {
      tests.push(this.#test(depth));
      if (this.#isPunct(')')) {
        this.#at += 1;
        return tests;
      }
      this.#expect(',');
    }
  }
}
