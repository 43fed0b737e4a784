// The mailcow API shapes Mailroom relies on, written out by hand after reading mailcow/mailcow-dockerized
// (master, 2025): data/web/api/openapi.yaml for the documented routes and their examples, data/web/json_api.php
// for the routing, the `{}` empty answers and the routes openapi.yaml leaves out (alias-domain, dkim_import),
// and data/web/inc/functions.{mailbox,dkim}.inc.php for what a write does. The fake enforces these;
// test/unit/fakes/vendor-shapes.test.ts checks the fake holds to them.

/** A JSON field type as mailcow sends it: numbers often arrive as strings ("1", "5076666944"). */
export type McType = 'string' | 'number' | 'numeric-string' | 'boolean-ish' | 'string-list' | 'object' | 'null-or-string';

/** Writes: the attributes each documented route takes (mailcow ignores any other, so a typo silently does nothing). */
export const WRITE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'add/domain': ['active', 'aliases', 'backupmx', 'defquota', 'description', 'domain', 'gal', 'mailboxes', 'maxquota', 'quota', 'restart_sogo', 'relay_all_recipients', 'relay_unknown_only', 'rl_frame', 'rl_value', 'tags'],
  'add/mailbox': ['active', 'domain', 'local_part', 'name', 'authsource', 'password', 'password2', 'quota', 'force_pw_update', 'force_tfa', 'tls_enforce_in', 'tls_enforce_out', 'tags'],
  'edit/mailbox': ['active', 'force_pw_update', 'force_tfa', 'name', 'authsource', 'password', 'password2', 'quota', 'sender_acl', 'sogo_access', 'tags'],
  'add/alias': ['active', 'address', 'goto', 'goto_ham', 'goto_null', 'goto_spam', 'sogo_visible', 'private_comment', 'public_comment'],
  'edit/alias': ['active', 'address', 'goto', 'goto_ham', 'goto_null', 'goto_spam', 'private_comment', 'public_comment', 'sogo_visible'],
  'add/dkim': ['dkim_selector', 'domains', 'key_size'],
  // Routed in json_api.php, read in functions.mailbox.inc.php (mailbox('add', 'alias_domain')); not in openapi.yaml.
  'add/alias-domain': ['active', 'alias_domain', 'target_domain', 'rl_value', 'rl_frame', 'key_size', 'dkim_selector'],
  // openapi.yaml "Edit mailbox spam filter score": {items: [usernames], attr: {spam_score: "low,high"}}; "default" drops the mailbox's own.
  'edit/spam-score': ['spam_score'],
};

/** Deletes: the JSON body is a bare array of ids (domain names, usernames, alias ids). */
export const DELETE_ROUTES = ['delete/domain', 'delete/mailbox', 'delete/alias', 'delete/alias-domain', 'delete/dkim'] as const;

/** Reads: the fields of the rows the adapter uses, with their documented types (openapi.yaml examples). */
export const READ_FIELDS: Readonly<Record<string, Readonly<Record<string, McType>>>> = {
  'get/domain': {
    domain_name: 'string', description: 'string', active: 'numeric-string', mboxes_in_domain: 'number', max_quota_for_domain: 'number',
    bytes_total: 'numeric-string', msgs_total: 'numeric-string', aliases_in_domain: 'number', max_num_mboxes_for_domain: 'number',
    def_quota_for_mbox: 'number', max_quota_for_mbox: 'number', quota_used_in_domain: 'numeric-string', backupmx: 'numeric-string',
  },
  'get/mailbox': {
    username: 'string', domain: 'string', local_part: 'string', name: 'string', active: 'numeric-string', quota: 'number', quota_used: 'number',
    messages: 'number', percent_in_use: 'number', attributes: 'object',
  },
  // Not in openapi.yaml, so optional to the adapter: mailbox('get', 'mailbox_details') adds them from sasl_log as
  // Unix seconds (strtotime), 0 for never or when SHOW_LAST_LOGIN is off.
  'get/mailbox logins': { last_imap_login: 'number', last_smtp_login: 'number', last_pop3_login: 'number', last_sso_login: 'number' },
  /** `attributes` of a mailbox row: flags as "0"/"1" strings; `force_pw_update` lives here, not at the top. */
  'get/mailbox attributes': { force_pw_update: 'numeric-string', force_tfa: 'numeric-string', tls_enforce_in: 'numeric-string', tls_enforce_out: 'numeric-string', sogo_access: 'numeric-string' },
  'get/alias': {
    id: 'number', address: 'string', goto: 'string', domain: 'string', active: 'numeric-string', is_catch_all: 'number',
    in_primary_domain: 'string', created: 'string', modified: 'null-or-string', private_comment: 'null-or-string', public_comment: 'null-or-string',
  },
  'get/alias-domain': { alias_domain: 'string', target_domain: 'string', active: 'numeric-string', created: 'string', modified: 'null-or-string' },
  'get/dkim': { dkim_selector: 'string', dkim_txt: 'string', length: 'numeric-string', privkey: 'string', pubkey: 'string' },
  'get/status/version': { version: 'string' },
  // openapi.yaml's example says `spam_score`, but json_api.php answers {"score": "low,high"} with the blanks removed.
  'get/spam-score': { score: 'string' },
};

/** Behaviour the routes share, from json_api.php and functions.mailbox.inc.php. */
export const BEHAVIOUR = {
  /** An empty `get/…` answers `{}` (process_get_return), not `[]`. */
  emptyRead: '{}',
  /** Writes answer HTTP 200 with `[{type, log, msg}]`; a failure is an item of type "danger" (or "error"). */
  writeFailureStatus: 200,
  /** A bad key: HTTP 401 `{type: "error", msg: "authentication failed"}`; a read-only key writing: 403 "API read/write access denied". */
  unauthorized: { type: 'error', msg: 'authentication failed' },
  /** Creating a mailbox also inserts its own alias row (address = goto = username), which get/alias never shows. */
  mailboxSelfAlias: true,
  /** add/alias skips, without an answer item, an address that is among its own gotos. */
  aliasSkipsSelfTarget: true,
  /** add/alias refuses an address that has an alias row (every mailbox has one): "is_alias_or_mailbox". */
  aliasOnMailboxRefused: 'is_alias_or_mailbox',
  /** mailcow holds one DKIM key per domain; add/dkim refuses a domain that has one ("dkim_domain_or_sel_invalid"). */
  oneDkimKeyPerDomain: true,
} as const;

/** Checks a value against a read type; returns why it does not fit, or null. */
export function checkType(type: McType, value: unknown): string | null {
  switch (type) {
    case 'string': return typeof value === 'string' ? null : 'expected a string';
    case 'number': return typeof value === 'number' ? null : 'expected a number';
    case 'numeric-string': return typeof value === 'string' && /^-?\d+$/.test(value) ? null : 'expected a number as a string';
    case 'boolean-ish': return value === 0 || value === 1 || value === '0' || value === '1' ? null : 'expected 0/1';
    case 'string-list': return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'expected a list of strings';
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : 'expected an object';
    case 'null-or-string': return value === null || typeof value === 'string' ? null : 'expected a string or null';
  }
}

/** Checks one row of a read route against READ_FIELDS: every listed field present and typed as documented. */
export function checkRow(route: string, row: Record<string, unknown>): string | null {
  for (const [field, type] of Object.entries(READ_FIELDS[route] ?? {})) {
    if (!(field in row)) return `${route}.${field}: missing`;
    const problem = checkType(type, row[field]);
    if (problem) return `${route}.${field}: ${problem}`;
  }
  return null;
}

/** The attributes of a write the route does not define, if any. */
export function unknownAttributes(route: string, attr: Record<string, unknown>): string[] {
  const known = WRITE_ATTRIBUTES[route];
  return known ? Object.keys(attr).filter((k) => !known.includes(k)) : [];
}
