import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { announcedHost } from '../../../../electron/dns/checks/smtp.ts';
import { dkimPublicValue } from '../../../../electron/dns/dkim-keys.ts';
import { parseNsAnswer } from '../../../../electron/dns/ns-probe.ts';

// A response to "example.test SOA": header, question, one SOA with compressed MNAME/RNAME.
function soaResponse(id: number, flags: number, serial: number): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, 1, 0, 1, 0, 0, 0, 0]);
  const qname = Buffer.from([7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]);
  const question = Buffer.concat([qname, Buffer.from([0, 6, 0, 1])]);
  const rdata = Buffer.alloc(4 + 20);
  rdata.writeUInt16BE(0xc00c, 0);
  rdata.writeUInt16BE(0xc00c, 2);
  rdata.writeUInt32BE(serial, 4);
  const rr = Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 6, 0, 1, 0, 0, 1, 44, 0, rdata.length]), rdata]);
  return Buffer.concat([header, question, rr]);
}

describe('name server probe answers', () => {
  it('reads the AA flag, RCODE and SOA serial', () => {
    expect(parseNsAnswer(soaResponse(7, 0x8400, 2026010102), 7)).toEqual({ ok: true, rcode: 0, authoritative: true, serial: 2026010102, answers: 1 });
    expect(parseNsAnswer(soaResponse(7, 0x8005, 1), 7)).toMatchObject({ ok: true, rcode: 5, authoritative: false });
  });

  it('rejects an answer to another query id and truncated garbage without throwing', () => {
    expect(parseNsAnswer(soaResponse(7, 0x8400, 1), 8)).toEqual({ ok: false, code: 'EBADRESP' });
    expect(parseNsAnswer(soaResponse(9, 0x8400, 1).subarray(0, 30), 9)).toMatchObject({ ok: true, serial: null });
  });
});

describe('SMTP greeting host names', () => {
  it('takes the domain after the reply code (RFC 5321 §4.2)', () => {
    expect(announcedHost('220 MX1.Example.test. ESMTP Postfix')).toBe('mx1.example.test');
    expect(announcedHost('250-mx.example.test Hello')).toBe('mx.example.test');
    expect(announcedHost('220 [192.0.2.25]')).toBe('[192.0.2.25]');
    expect(announcedHost('554 no service')).toBeNull();
  });
});

describe('DKIM public key values', () => {
  it('publishes SPKI for RSA and the raw 32-byte key for Ed25519 (RFC 8463 §4)', () => {
    const ed = generateKeyPairSync('ed25519');
    const value = dkimPublicValue(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(Buffer.from(value, 'base64')).toHaveLength(32);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(dkimPublicValue(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toBe(rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  });
});
