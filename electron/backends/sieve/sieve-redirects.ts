import type { ForwardingInfo } from '../../../shared/domain/provisioning.ts';
import { SieveSyntaxError, tokenize, type SieveToken } from './sieve-lexer.ts';

/** One `redirect` of a Sieve script (RFC 5228 §4.2). */
export interface SieveRedirect {
  readonly target: string;
  /** `:copy` (RFC 3894): the message is also kept. */
  readonly copy: boolean;
  /** Inside an if/elsif/else: only some mail is redirected. */
  readonly conditional: boolean;
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
  parser.commands(0, false, found);
  if (!parser.done()) parser.fail('unexpected "}"');
  return found;
}

/** A mailbox's forwarding as its Sieve redirects say: every target but itself; the copy stays when each redirect has :copy or the script keeps mail. */
export function forwardingOf(address: string, read: SieveForwards): ForwardingInfo {
  const targets = [...new Set(read.redirects.map((r) => r.target))].filter((t) => t !== address.toLowerCase());
  const keepCopy = read.keeps || read.redirects.every((r) => r.copy);
  return { address, targets, keepCopy, state: targets.length ? 'active' : 'off' };
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

  /** commands up to a closing brace (or the end at depth 0). */
  commands(depth: number, conditional: boolean, found: { redirects: SieveRedirect[]; keeps: boolean }): void {
    if (depth > MAX_DEPTH) this.fail(`blocks nested deeper than ${MAX_DEPTH}`);
    while (!this.done() && !this.#isPunct('}')) {
      const name = this.#peek();
      if (name?.kind !== 'identifier') this.fail('expected a command');
      this.#at += 1;
      const args = this.#arguments(depth);
      const control = name.value === 'if' || name.value === 'elsif' || name.value === 'else';
      if (this.#isPunct('{')) {
        this.#at += 1;
        this.commands(depth + 1, conditional || control, found);
        this.#expect('}');
      } else this.#expect(';');
      if (name.value === 'keep' || name.value === 'fileinto') found.keeps = true;
      if (name.value === 'redirect') {
        const strings = args.filter((a): a is { kind: 'string'; value: string } => a.kind === 'string');
        const tags = new Set(args.filter((a) => a.kind === 'tag').map((a) => a.value));
        if (strings.length !== 1) this.fail('redirect takes exactly one address');
        const target = strings[0]!.value.trim();
        if (!tags.has('list') && !target.includes('${') && ADDRESS.test(target)) found.redirects.push({ target: target.toLowerCase(), copy: tags.has('copy'), conditional });
      }
    }
  }

  /** Arguments, then an optional test or test list; returns the plain arguments (strings flattened). */
  #arguments(depth: number): SieveToken[] {
    const out: SieveToken[] = [];
    for (;;) {
      const t = this.#peek();
      if (!t) return out;
      if (t.kind === 'string' || t.kind === 'number' || t.kind === 'tag') {
        out.push(t);
        this.#at += 1;
      } else if (t.kind === 'punct' && t.value === '[') {
        this.#at += 1;
        out.push(...this.#stringList());
      } else if (t.kind === 'identifier') {
        this.#test(depth + 1);
        return out;
      } else if (t.kind === 'punct' && t.value === '(') {
        this.#testList(depth + 1);
        return out;
      } else return out;
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

  #test(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`tests nested deeper than ${MAX_DEPTH}`);
    const t = this.#peek();
    if (t?.kind !== 'identifier') this.fail('expected a test');
    this.#at += 1;
    this.#arguments(depth);
  }

  #testList(depth: number): void {
    this.#expect('(');
    for (;;) {
      this.#test(depth);
      if (this.#isPunct(')')) {
        this.#at += 1;
        return;
      }
      this.#expect(',');
    }
  }
}
