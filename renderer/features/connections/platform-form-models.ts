import type {
  NewGoogleConnection,
  NewMailcowConnection,
  NewMicrosoftConnection,
  NewPostfixAdminConnection,
  NewStalwartConnection,
} from '../../../shared/domain/connection.ts';
import { normalizeHost, plaintextProblem } from '../../../shared/lib/validate.ts';

/** Platforms with a form of their own besides IMAP. */
export type PlatformKind = 'postfixadmin' | 'mailcow' | 'stalwart' | 'google' | 'microsoft';

/** A form as typed: every field a string, exactly as in the inputs (a key file: its text). */
export type PlatformFormValues = Readonly<Record<string, string>>;

/** A validation message per field; absent means valid. */
export type PlatformFormErrors = Partial<Record<string, string>>;

/** One input of a platform form. */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly control?: 'text' | 'password' | 'select' | 'file';
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly placeholder?: string;
  readonly hint?: string;
  /** Goes to the keychain: cleared from the form on submit, never kept in a store. */
  readonly secret?: boolean;
  /** Under "Advanced". */
  readonly advanced?: boolean;
  readonly numeric?: boolean;
  readonly visible?: (values: PlatformFormValues) => boolean;
  /** A warning shown in place of the hint while the values call for one. */
  readonly warning?: (values: PlatformFormValues) => string | undefined;
}

/** The form of one platform: its fields, a blank state, and the check that yields the `connections.addX` input. */
export interface PlatformForm<I> {
  readonly title: string;
  readonly subtitle: string;
  readonly fields: readonly FieldSpec[];
  empty(): PlatformFormValues;
  validate(values: PlatformFormValues): { readonly input: I } | { readonly errors: PlatformFormErrors };
}

type Check = (values: PlatformFormValues, errors: PlatformFormErrors) => void;

const NAME: FieldSpec = { name: 'name', label: 'Name', placeholder: 'Acme mail' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const v = (values: PlatformFormValues, name: string): string => (values[name] ?? '').trim();

function checkName(values: PlatformFormValues, errors: PlatformFormErrors): void {
  const name = v(values, 'name');
  if (name === '') errors['name'] = 'Enter a name, e.g. “Acme mail”.';
  else if (name.length > 80) errors['name'] = 'Use at most 80 characters.';
}

/** An http(s) URL without credentials; its origin (and path, for a reverse proxy) as typed. */
function checkUrl(field: string, what: string, required = true): Check {
  return (values, errors) => {
    const text = v(values, field);
    if (text === '') {
      if (required) errors[field] = `Enter the ${what}, e.g. https://mail.example.com.`;
      return;
    }
    const url = URL.canParse(text) ? new URL(text) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) errors[field] = 'Enter a URL starting with https:// (or http:// on a trusted network).';
    else if (url.username || url.password) errors[field] = 'Leave the user name and password out of the URL: the key goes in its own field.';
  };
}

function required(field: string, message: string): Check {
  return (values, errors) => {
    if (v(values, field) === '' && (values[field] ?? '') === '') errors[field] = message;
  };
}

function finish<I>(values: PlatformFormValues, checks: readonly Check[], build: () => I): { readonly input: I } | { readonly errors: PlatformFormErrors } {
  const errors: PlatformFormErrors = {};
  checkName(values, errors);
  for (const check of checks) check(values, errors);
  return Object.keys(errors).length > 0 ? { errors } : { input: build() };
}

// Plain http to another machine is allowed, but only with this warning in view.
const clearUrl = (field: string) => (values: PlatformFormValues): string | undefined =>
  plaintextProblem({ url: v(values, field) }) ? 'Warning: http:// sends the key unencrypted across the network. Use https:// unless the network is trusted.' : undefined;
const allowClear = (url: string): { allowPlaintext?: true } => (plaintextProblem({ url }) ? { allowPlaintext: true } : {});

const opt = <K extends string>(key: K, value: string): Partial<Record<K, string>> => (value ? ({ [key]: value } as Record<K, string>) : {});

const sqlite = (values: PlatformFormValues): boolean => values['dialect'] === 'sqlite';

/** Self-hosted SQL (PostfixAdmin schema) on MySQL/MariaDB, PostgreSQL or SQLite. */
export const postfixAdminForm: PlatformForm<NewPostfixAdminConnection> = {
  title: 'Add a PostfixAdmin database',
  subtitle: 'Self-hosted Postfix and Dovecot with a PostfixAdmin-schema database. The database password is stored in the system keychain.',
  fields: [
    NAME,
    { name: 'dialect', label: 'Database', control: 'select', options: [{ value: 'mysql', label: 'MySQL / MariaDB' }, { value: 'postgres', label: 'PostgreSQL' }, { value: 'sqlite', label: 'SQLite' }] },
    { name: 'path', label: 'Database file', placeholder: '/var/lib/postfixadmin/postfixadmin.db', visible: sqlite, hint: 'The SQLite file Dovecot and Postfix read, on this machine.' },
    { name: 'host', label: 'Host', placeholder: 'db.example.com', visible: (x) => !sqlite(x) },
    { name: 'port', label: 'Port', numeric: true, visible: (x) => !sqlite(x), hint: 'Empty: 3306 for MySQL, 5432 for PostgreSQL.' },
    { name: 'database', label: 'Database name', placeholder: 'postfixadmin', visible: (x) => !sqlite(x) },
    { name: 'user', label: 'Database user', placeholder: 'postfixadmin', visible: (x) => !sqlite(x) },
    { name: 'password', label: 'Database password', control: 'password', secret: true, visible: (x) => !sqlite(x) },
    { name: 'passwordScheme', label: 'Password hash for new mailboxes', control: 'select', options: [{ value: 'BLF-CRYPT', label: 'BLF-CRYPT (bcrypt, recommended)' }, { value: 'SHA512-CRYPT', label: 'SHA512-CRYPT' }, { value: 'ARGON2ID', label: 'ARGON2ID' }], hint: 'Must be a scheme your Dovecot accepts (default_pass_scheme).' },
  ],
  empty: () => ({ name: '', dialect: 'mysql', path: '', host: '', port: '', database: '', user: '', password: '', passwordScheme: 'BLF-CRYPT' }),
  validate: (values) =>
    finish(
      values,
      sqlite(values)
        ? [required('path', 'Enter the path of the SQLite database file.')]
        : [
            (x, e) => {
              if (v(x, 'host') === '') e['host'] = 'Enter the database server’s host name or IP address.';
              else if (normalizeHost(v(x, 'host')) === null) e['host'] = 'This is not a valid host name or IP address.';
              const port = v(x, 'port');
              if (port !== '' && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) e['port'] = 'Enter a port number from 1 to 65535, or leave it empty.';
            },
            required('database', 'Enter the database name, usually “postfixadmin”.'),
            required('user', 'Enter the database user.'),
          ],
      () => ({
        name: v(values, 'name'),
        dialect: values['dialect'] as NewPostfixAdminConnection['dialect'],
        passwordScheme: values['passwordScheme'] as NonNullable<NewPostfixAdminConnection['passwordScheme']>,
        ...(sqlite(values)
          ? { path: v(values, 'path') }
          : {
              host: normalizeHost(v(values, 'host'))!,
              ...(v(values, 'port') ? { port: Number(v(values, 'port')) } : {}),
              database: v(values, 'database'),
              user: v(values, 'user'),
              ...opt('password', values['password'] ?? ''),
            }),
      }),
    ),
};

/** mailcow: the UI's URL and an API key (read-write). */
export const mailcowForm: PlatformForm<NewMailcowConnection> = {
  title: 'Add a mailcow server',
  subtitle: 'Uses mailcow’s API. Create a read-write API key under System → Configuration → Access → API; the key is stored in the system keychain.',
  fields: [NAME, { name: 'baseUrl', label: 'mailcow URL', placeholder: 'https://mail.example.com', warning: clearUrl('baseUrl') }, { name: 'apiKey', label: 'API key', control: 'password', secret: true, hint: 'mailcow bans an address after repeated wrong keys: Mailroom never retries a rejected key.' }],
  empty: () => ({ name: '', baseUrl: '', apiKey: '' }),
  validate: (values) => finish(values, [checkUrl('baseUrl', 'mailcow URL'), required('apiKey', 'Enter the API key.')], () => ({ name: v(values, 'name'), baseUrl: v(values, 'baseUrl').replace(/\/+$/, ''), apiKey: v(values, 'apiKey'), ...allowClear(v(values, 'baseUrl')) })),
};

const withPassword = (values: PlatformFormValues): boolean => values['auth'] !== 'apikey';

/** Stalwart 0.16+: an admin login and password, or an API key. */
export const stalwartForm: PlatformForm<NewStalwartConnection> = {
  title: 'Add a Stalwart server',
  subtitle: 'Uses Stalwart’s management API (0.16 or later). The password or key is stored in the system keychain.',
  fields: [
    NAME,
    { name: 'baseUrl', label: 'Stalwart URL', placeholder: 'https://mail.example.com', warning: clearUrl('baseUrl') },
    { name: 'auth', label: 'Sign in with', control: 'select', options: [{ value: 'password', label: 'Administrator and password' }, { value: 'apikey', label: 'API key' }] },
    { name: 'username', label: 'Administrator', placeholder: 'admin', visible: withPassword },
    { name: 'secret', label: 'Password', control: 'password', secret: true, visible: withPassword },
    { name: 'apiKey', label: 'API key', control: 'password', secret: true, visible: (x) => !withPassword(x) },
  ],
  empty: () => ({ name: '', baseUrl: '', auth: 'password', username: '', secret: '', apiKey: '' }),
  validate: (values) =>
    finish(
      values,
      [checkUrl('baseUrl', 'Stalwart URL'), ...(withPassword(values) ? [required('username', 'Enter the administrator’s login.'), required('secret', 'Enter the password.')] : [required('apiKey', 'Enter the API key.')])],
      () => ({ name: v(values, 'name'), baseUrl: v(values, 'baseUrl').replace(/\/+$/, ''), ...allowClear(v(values, 'baseUrl')), ...(withPassword(values) ? { username: v(values, 'username'), secret: values['secret']! } : { secret: v(values, 'apiKey') }) }),
    ),
};

/** The client e-mail of a service-account JSON key, or the reason it is not one. */
export function readServiceAccountKey(text: string): { readonly clientEmail: string } | { readonly error: string } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { error: 'This file is not JSON. Download the key as JSON from Google Cloud → IAM → Service accounts → Keys.' };
  }
  if (json['type'] !== 'service_account' || typeof json['client_email'] !== 'string' || typeof json['private_key'] !== 'string') {
    return { error: 'This is not a service-account key: it needs "type": "service_account", a client_email and a private_key.' };
  }
  return { clientEmail: json['client_email'] };
}

/** Google Workspace: a service account with domain-wide delegation, acting as a super-admin. */
export const googleForm: PlatformForm<NewGoogleConnection> = {
  title: 'Add Google Workspace',
  subtitle: 'A service account with domain-wide delegation (Admin SDK Directory, Gmail settings, Reports). The JSON key is read here, sent once and stored in the system keychain.',
  fields: [
    NAME,
    { name: 'adminEmail', label: 'Super-admin to act as', placeholder: 'admin@example.com' },
    { name: 'customer', label: 'Customer ID', placeholder: 'my_customer', hint: 'Empty for the admin’s own account (my_customer).' },
    { name: 'serviceAccountJson', label: 'Service-account key (JSON)', control: 'file', secret: true },
    { name: 'rootUrl', label: 'Admin SDK endpoint', placeholder: 'https://admin.googleapis.com/', advanced: true },
    { name: 'gmailRootUrl', label: 'Gmail API endpoint', placeholder: 'https://gmail.googleapis.com/', advanced: true },
  ],
  empty: () => ({ name: '', adminEmail: '', customer: '', serviceAccountJson: '', rootUrl: '', gmailRootUrl: '' }),
  validate: (values) =>
    finish(
      values,
      [
        (x, e) => {
          if (!EMAIL.test(v(x, 'adminEmail'))) e['adminEmail'] = 'Enter the e-mail address of a super-admin of the Workspace.';
          if (v(x, 'customer') !== '' && !/^[A-Za-z0-9_]{1,64}$/.test(v(x, 'customer'))) e['customer'] = 'A customer ID looks like C01abc2de; leave it empty for my_customer.';
          if ((x['serviceAccountJson'] ?? '') === '') e['serviceAccountJson'] = 'Choose the service account’s JSON key file.';
          else {
            const key = readServiceAccountKey(x['serviceAccountJson']!);
            if ('error' in key) e['serviceAccountJson'] = key.error;
          }
        },
        checkUrl('rootUrl', 'endpoint', false),
        checkUrl('gmailRootUrl', 'endpoint', false),
      ],
      () => ({ name: v(values, 'name'), adminEmail: v(values, 'adminEmail').toLowerCase(), ...opt('customer', v(values, 'customer')), serviceAccountJson: values['serviceAccountJson']!, ...opt('rootUrl', v(values, 'rootUrl')), ...opt('gmailRootUrl', v(values, 'gmailRootUrl')) }),
    ),
};

/** Microsoft 365: an app registration (client credentials) in the tenant. */
export const microsoftForm: PlatformForm<NewMicrosoftConnection> = {
  title: 'Add Microsoft 365',
  subtitle: 'An Entra ID app registration with Microsoft Graph application permissions. The client secret is stored in the system keychain.',
  fields: [
    NAME,
    { name: 'tenantId', label: 'Tenant ID', placeholder: '00000000-0000-0000-0000-000000000000', hint: 'The directory (tenant) ID, or the tenant’s .onmicrosoft.com domain.' },
    { name: 'clientId', label: 'Application (client) ID', placeholder: '00000000-0000-0000-0000-000000000000' },
    { name: 'clientSecret', label: 'Client secret', control: 'password', secret: true, hint: 'The secret’s value, not its ID.' },
    { name: 'licenseSkuId', label: 'Licence SKU for new users', placeholder: 'a GUID', advanced: true, hint: 'Exchange Online creates a mailbox only for a licensed user.' },
    { name: 'usageLocation', label: 'Usage location', placeholder: 'DE', advanced: true },
    { name: 'authorityHost', label: 'Sign-in endpoint', placeholder: 'https://login.microsoftonline.com', advanced: true },
    { name: 'graphBaseUrl', label: 'Graph endpoint', placeholder: 'https://graph.microsoft.com', advanced: true },
  ],
  empty: () => ({ name: '', tenantId: '', clientId: '', clientSecret: '', licenseSkuId: '', usageLocation: '', authorityHost: '', graphBaseUrl: '' }),
  validate: (values) =>
    finish(
      values,
      [
        (x, e) => {
          const tenant = v(x, 'tenantId');
          if (!GUID.test(tenant) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenant)) e['tenantId'] = 'Enter the tenant ID (a GUID) or the tenant’s domain, e.g. contoso.onmicrosoft.com.';
          if (!GUID.test(v(x, 'clientId'))) e['clientId'] = 'The application (client) ID is a GUID: 8-4-4-4-12 hexadecimal digits.';
          if (v(x, 'licenseSkuId') !== '' && !GUID.test(v(x, 'licenseSkuId'))) e['licenseSkuId'] = 'A licence SKU ID is a GUID.';
          if (v(x, 'usageLocation') !== '' && !/^[A-Za-z]{2}$/.test(v(x, 'usageLocation'))) e['usageLocation'] = 'Two letters: the country code, e.g. DE or US.';
        },
        required('clientSecret', 'Enter the client secret’s value.'),
        checkUrl('authorityHost', 'endpoint', false),
        checkUrl('graphBaseUrl', 'endpoint', false),
      ],
      () => ({
        name: v(values, 'name'),
        tenantId: v(values, 'tenantId'),
        clientId: v(values, 'clientId'),
        clientSecret: values['clientSecret']!.trim(),
        ...opt('licenseSkuId', v(values, 'licenseSkuId')),
        ...opt('usageLocation', v(values, 'usageLocation').toUpperCase()),
        ...opt('authorityHost', v(values, 'authorityHost')),
        ...opt('graphBaseUrl', v(values, 'graphBaseUrl')),
      }),
    ),
};

/** Every platform form by kind. */
export const PLATFORM_FORMS = { postfixadmin: postfixAdminForm, mailcow: mailcowForm, stalwart: stalwartForm, google: googleForm, microsoft: microsoftForm } as const;

/** The kind selector's choices, IMAP first. */
export const KIND_OPTIONS: readonly { readonly value: 'imap' | PlatformKind; readonly label: string }[] = [
  { value: 'imap', label: 'IMAP server (usage and migration)' },
  { value: 'postfixadmin', label: 'PostfixAdmin database (self-hosted)' },
  { value: 'mailcow', label: 'mailcow' },
  { value: 'stalwart', label: 'Stalwart' },
  { value: 'google', label: 'Google Workspace' },
  { value: 'microsoft', label: 'Microsoft 365' },
];

/** The values with every secret field emptied: what the form keeps after a submit. */
export function withoutSecrets(form: PlatformForm<unknown>, values: PlatformFormValues): PlatformFormValues {
  return { ...values, ...Object.fromEntries(form.fields.filter((f) => f.secret).map((f) => [f.name, ''])) };
}
