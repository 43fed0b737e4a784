import { describe, expect, it } from 'vitest';
import { describeDifference, sha1Hex } from '../../../../electron/migration/content-diff.ts';
import { applyRenames, renameRefused } from '../../../../electron/migration/folder-create.ts';
import { namespaceKind, namespacesOf, selectNamespaces, type SourceNamespaces } from '../../../../electron/migration/namespace-filter.ts';
import { munge8bitHeaders } from '../../../fakes/munge8bit.ts';

const dovecotShared: SourceNamespaces = { personal: [''], other: ['Other Users/'], shared: ['Shared Folders/'] };
// Cyrus's standard namespace (altnamespace off): personal "INBOX.", other users "user.", shared "".
const cyrusStandard: SourceNamespaces = { personal: ['INBOX.'], other: ['user.'], shared: [''] };

describe('namespaces (RFC 2342)', () => {
  it.each([
    ['INBOX', dovecotShared, 'personal'],
    ['Sent', dovecotShared, 'personal'],
    ['Other Users/bob/Sent', dovecotShared, 'other'],
    ['Other Users', dovecotShared, 'other'],
    ['Shared Folders/sales', dovecotShared, 'shared'],
    ['Other Usersish', dovecotShared, 'personal'],
    ['INBOX', cyrusStandard, 'personal'],
    ['INBOX.Sent', cyrusStandard, 'personal'],
    ['user.bob.Sent', cyrusStandard, 'other'],
    ['sales', cyrusStandard, 'shared'],
  ] as const)('%s is %s', (path, ns, kind) => expect(namespaceKind(path, ns)).toBe(kind));

  it('treats every folder as personal when the server sent no NAMESPACE', () => expect(namespaceKind('Other Users/bob', namespacesOf(undefined))).toBe('personal'));

  it("skips other users' folders with the reason, and keeps them without special-use when asked", () => {
    const folders = [
      { path: 'Sent', delimiter: '/', flags: new Set<string>(), specialUse: '\\Sent' },
      { path: 'Other Users/bob/Sent', delimiter: '/', flags: new Set<string>(), specialUse: '\\Sent' },
    ];
    const personal = selectNamespaces(folders, dovecotShared, false);
    expect(personal.kept.map((f) => f.path)).toEqual(['Sent']);
    expect(personal.skipped).toEqual([expect.objectContaining({ sourcePath: 'Other Users/bob/Sent', targetPath: null, skipReason: expect.stringMatching(/^another user's folder/) as string })]);
    const all = selectNamespaces(folders, dovecotShared, true);
    expect(all.kept.map((f) => [f.path, f.specialUse])).toEqual([['Sent', '\\Sent'], ['Other Users/bob/Sent', undefined]]);
  });
});

describe('refused folder names', () => {
  it('replaces the character the target names in its refusal, in every level', () => {
    expect(renameRefused('Dr. Jones/a.b', "NO [CANNOT] Character not allowed in mailbox name: '.'", '/')).toBe('Dr_ Jones/a_b');
  });
  it('falls back to "." when the refusal names no character, and gives up when nothing can be told', () => {
    expect(renameRefused('v1.2', 'NO Invalid mailbox name', '/')).toBe('v1_2');
    expect(renameRefused('Plain', 'NO Invalid mailbox name', '/')).toBeNull();
  });
  it('moves the mappings to the new name and says why', () => {
    const [m] = applyRenames([{ sourcePath: 'a.b', targetPath: 'a.b', specialUse: null, skipReason: null, renamed: null }], new Map([['a.b', { to: 'a_b', refusal: 'NO nope' }]]));
    expect(m).toMatchObject({ targetPath: 'a_b', renamed: '"a.b" → "a_b": the target refused the name (NO nope); every character the target refuses in a folder name becomes "_"' });
  });
});

describe('content differences', () => {
  const source = Buffer.from('Subject: Gr\xfc\xdfe\r\nFrom: a@b\r\n\r\nbody \xfc\r\n', 'latin1');
  it('names 8-bit header bytes altered at the same size', () => {
    const target = Buffer.from('Subject: GrXXe\r\nFrom: a@b\r\n\r\nbody \xfc\r\n', 'latin1');
    expect(describeDifference(source, target)).toBe('the target altered 8-bit header bytes (2 bytes in the header, same size)');
  });
  it('calls anything else a content difference', () => {
    expect(describeDifference(source, Buffer.from('Subject: Gr\xfc\xdfe\r\nFrom: a@b\r\n\r\nbody X\r\n', 'latin1'))).toBe('content differs: 1 of 37 bytes changed at the same size');
    expect(describeDifference(source, source.subarray(1))).toBe('content differs: the source has 37 bytes, the target 36');
  });
  it('hashes as FETCH DIGEST.SHA1 does (hex SHA-1)', () => expect(sha1Hex(Buffer.from('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d'));
});

describe('the munge8bit fake', () => {
  it('munges 8-bit bytes in the header of an APPEND literal only, across chunks', () => {
    const munge = munge8bitHeaders();
    const literal = Buffer.from('Subject: \xfc\r\n\r\n\xfc', 'latin1');
    const wire = Buffer.concat([Buffer.from(`A1 APPEND INBOX {${literal.length}+}\r\n`), literal, Buffer.from('\r\n')]);
    const out = Buffer.concat([munge(wire.subarray(0, 30)), munge(wire.subarray(30))]);
    expect(out.toString('latin1')).toBe(`A1 APPEND INBOX {${literal.length}+}\r\nSubject: X\r\n\r\n\xfc\r\n`);
  });
});
