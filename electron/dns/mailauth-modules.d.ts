// mailauth 7.1 ships no typings for this deep import; the module exports the function itself.
declare module 'mailauth/lib/dmarc/get-dmarc-record.js' {
  /** RFC 9989 tree-walk policy discovery; false when no policy applies; rejects on DNS errors. */
  function getDmarcRecord(
    domain: string,
    resolver?: (name: string, rrtype: string) => Promise<unknown>,
    opts?: { strict?: boolean },
  ): Promise<false | Record<string, unknown>>;
  export default getDmarcRecord;
}
