import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_CHARS, SieveSyntaxError, tokenize } from '../../../../../electron/backends/sieve/sieve-lexer.ts';
import { forwardingOf, MAX_DEPTH, readSieveRedirects } from '../../../../../electron/backends/sieve/sieve-redirects.ts';

describe('readSieveRedirects', () => {
  it('reads plain, :copy and conditional redirects through comments, string lists, tests and text: blocks', () => {
    const script = [
      'require ["copy", "fileinto", "variables"]; # extensions',
      '/* a block comment with "redirect \\"fake@x.test\\";" inside */',
      'if anyof (header :contains ["subject"] ["invoice", "bill"], address :is "from" "boss@example.com") {',
      '  redirect :copy "Accounts@Partner.test";',
      '} elsif not exists "x-spam" {',
      '  fileinto "INBOX.ok";',
      '} else { discard; stop; }',
      'redirect text:',
      'archive@example.com',
      '.',
      ';',
      'redirect "${boss}@example.com";',
      'redirect :list "list:friends";',
      'redirect "a\\"b@example.com";',
    ].join('\r\n');
    expect(readSieveRedirects(script)).toEqual({
      redirects: [
        { target: 'accounts@partner.test', copy: true, conditional: true, condition: '(subject contains invoice or bill) or from is boss@example.com' },
        { target: 'archive@example.com', copy: false, conditional: false, condition: null },
      ],
      keeps: true,
    });
  });

  it('says in words which mail each conditional redirect takes: nested blocks, elsif and else, `if true` as all mail', () => {
    const script = [
      'require ["copy"];',
      'if header :contains "From" "boss@x.example" { redirect :copy "a@out.example"; }',
      'elsif anyof (address :domain :is "to" "sales.example", size :over 1M) { redirect "b@out.example"; }',
      'else { if exists ["X-Spam", "X-Foo"] { discard; } else { redirect "c@out.example"; } }',
      'if true { redirect "d@out.example"; }',
      'if header :is "subject" "x" { redirect "e@out.example"; }',
      'if not header :is "subject" "x" { redirect "e@out.example"; }',
      'if envelope :localpart :matches "to" "sales*" { redirect "f@out.example"; }',
    ].join('\n');
    const read = forwardingOf('me@x.example', readSieveRedirects(script));
    expect(read.targets).toEqual(['a@out.example', 'b@out.example', 'c@out.example', 'd@out.example', 'e@out.example', 'f@out.example']);
    expect(read.conditions).toEqual({
      'a@out.example': 'from contains boss@x.example',
      'b@out.example': 'not from contains boss@x.example and (to domain is sales.example or size over 1048576 bytes)',
      'c@out.example': '(not (from contains boss@x.example or to domain is sales.example or size over 1048576 bytes)) and (not (x-spam and x-foo exist))',
      // Two redirects whose conditions are each other's opposite: listed as both, never guessed to be "all mail".
      'e@out.example': 'subject is x or not subject is x',
      'f@out.example': 'envelope to localpart matches sales*',
    });
    expect(read.conditions).not.toHaveProperty('d@out.example');
  });

  it('turns redirects into a mailbox forwarding without the mailbox itself', () => {
    const read = readSieveRedirects('redirect "ana@home.test"; redirect "ana@example.com"; redirect "ana@home.test";');
    expect(forwardingOf('ana@example.com', read)).toEqual({ address: 'ana@example.com', targets: ['ana@home.test'], keepCopy: false, state: 'active' });
    expect(forwardingOf('ana@example.com', readSieveRedirects('keep;'))).toEqual({ address: 'ana@example.com', targets: [], keepCopy: true, state: 'off' });
  });

  it('refuses hostile or broken scripts with one SieveSyntaxError, never a crash or a hang', () => {
    const refused = [
      'redirect "unterminated@example.com;',
      'redirect "x@example.com"',
      '/* never closed',
      'redirect text:\nno end dot\n',
      'redirect text: trailing\n.\n;',
      'if true { redirect "a@b.test"; ',
      '}',
      'redirect "a@b.test" "c@d.test";',
      'redirect ["a@b.test", ];',
      'if anyof (true, { }',
      '\u0000\u0001binary',
      '99999999999999999999;',
      `${'if true {'.repeat(MAX_DEPTH + 2)}${'}'.repeat(MAX_DEPTH + 2)}`,
      `if ${'not '.repeat(100_000)}true { redirect "a@b.test"; }`,
      `if ${'anyof ('.repeat(50_000)}true${')'.repeat(50_000)} { keep; }`,
      ' '.repeat(MAX_SCRIPT_CHARS + 1),
    ];
    for (const script of refused) expect(() => readSieveRedirects(script), script.slice(0, 40)).toThrow(SieveSyntaxError);
  });

  it('leaves out targets that are no address instead of guessing', () => {
    const read = readSieveRedirects('redirect "not an address"; redirect "<a@b.test>"; redirect "a@b.test, c@d.test"; redirect "";');
    expect(read.redirects).toEqual([]);
  });

  it('tokenizes numbers with units, tags and identifiers case-insensitively', () => {
    expect(tokenize('IF Size :OVER 1K')).toEqual([
      { kind: 'identifier', value: 'if' },
      { kind: 'identifier', value: 'size' },
      { kind: 'tag', value: 'over' },
      { kind: 'number', value: 1024 },
    ]);
    expect(readSieveRedirects('REDIRECT :COPY "X@Y.test";').redirects).toEqual([{ target: 'x@y.test', copy: true, conditional: false, condition: null }]);
  });
});
