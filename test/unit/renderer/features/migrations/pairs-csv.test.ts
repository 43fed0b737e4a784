import { describe, expect, it } from 'vitest';
import { PAIRS_EXAMPLE, parsePairs } from '../../../../../renderer/features/migrations/pairs-csv.ts';

describe('parsing the pasted CSV of mailbox pairs', () => {
  it('reads the example, with its header, normalising ports', () => {
    const r = parsePairs(PAIRS_EXAMPLE);
    expect(r.hasHeader).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.pairs.map((p) => [p.line, p.source.value, p.target.value])).toEqual([
      [2, 'imaps://alice@mail.old.example:993', 'imaps://alice@imap.new.example:993'],
      [3, 'imaps://bob@mail.old.example:993', 'imaps://bob@imap.new.example:993'],
    ]);
  });

  it('reports each bad line by its number and keeps the good ones', () => {
    const text = [
      'source,target',
      'imaps://a@old.example,imaps://a@new.example',
      '',
      '# a comment',
      'imaps://b@old.example',
      'ftp://c@old.example,imaps://c@new.example',
      'imaps://d:secret@old.example,imaps://d@new.example',
      'e@old.example,imaps://e@new.example',
      'imaps://a@old.example,imaps://a@new.example',
      'imap://f@old.example:1143,imap+plain://f@127.0.0.1:10143,pw1,pw2',
      'a,b,c,d,e,f,g,h',
      'imaps://g@old.example,imaps://g@new.example,,,https://g:pw@dav.old.example/,',
      'imaps://h@old.example,imaps://h@new.example,,,https://dav.old.example/,https://h2@dav.new.example/',
      'imaps://i@old.example,imaps://i@new.example,,,,,maybe',
      'imaps://j@old.example,imaps://j@new.example,,,,,yes',
    ].join('\r\n');
    const r = parsePairs(text);
    expect(r.pairs.map((p) => p.line)).toEqual([2, 10, 13, 15]);
    expect(r.pairs[1]).toMatchObject({ sourcePassword: true, targetPassword: true, source: { tls: 'starttls', port: 1143 }, target: { tls: 'none', host: '127.0.0.1' } });
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [5, 'Needs at least two columns: source, then target.'],
      [6, 'Source: unsupported scheme "ftp"; use imaps:// or imap://.'],
      [7, 'Source: a password in the URL is not accepted; put it in the source_password or target_password column (it goes to the system keychain).'],
      [8, 'Source: "e@old.example" has no server: write imaps://e@old.example@HOST, or choose a connection for this side.'],
      [9, 'Same pair as line 2.'],
      [11, 'Has 8 columns; expected source,target[,source_password,target_password,source_dav,target_dav,include_shared].'],
      [12, "source_dav: a password in the DAV URL is not accepted; the IMAP side's password is used."],
      [14, 'include_shared: "maybe" is not yes or no.'],
    ]);
  });

  it('takes google:CONNECTION/user and m365:CONNECTION/user DAV sides, and names the one without a user', () => {
    const r = parsePairs(['imaps://i@old.example,imaps://i@new.example,,,google:gw/i@example.org,m365:ms/i@contoso.test', 'imaps://j@old.example,imaps://j@new.example,,,google:gw,https://dav.new.example/'].join('\n'));
    expect(r.pairs.map((p) => p.line)).toEqual([1]);
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([[2, 'source_dav: "google:gw" names no user: give google:CONNECTION/user@domain or m365:CONNECTION/user@domain.']]);
  });

  it('accepts bare users on a side that has a connection, and imapsync-style semicolons', () => {
    const r = parsePairs('alice@old.example;alice@new.example\nbob@old.example\timaps://bob@new.example', { sourceConnection: true, targetConnection: true });
    expect(r.hasHeader).toBe(false);
    expect(r.errors).toEqual([]);
    expect(r.pairs.map((p) => [p.source.value, p.source.host, p.target.value])).toEqual([
      ['alice@old.example', null, 'alice@new.example'],
      ['bob@old.example', null, 'imaps://bob@new.example:993'],
    ]);
  });

  it('refuses a pair whose source and target are the same mailbox', () => {
    expect(parsePairs('imaps://a@h.example,imaps://a@h.example:993').errors[0]?.message).toBe('Source and target are the same mailbox.');
  });
});
