// The Stalwart 0.16 JMAP management shapes Mailroom relies on, written out by hand after reading
// stalwartlabs/stalwart (v0.16.18): the object schemas in crates/registry/src/schema/ and the schema
// document resources/schema/schema.json.gz, the registry query in crates/jmap/src/registry/query.rs,
// serialization in crates/registry/src/types/{map,list}.rs, SetErrors in crates/jmap-proto/src/error/set.rs,
// the session in crates/jmap/src/api/session.rs and `/api/account` in crates/http/src/auth/permissions.rs.
// The fake enforces these; test/unit/fakes/vendor-shapes.test.ts checks the fake holds to them.

/** How a property is typed on the wire. `set`: `{value: true}`; `objectList`: `{"0": {...}}`; `tagged`: `{"@type": …}`. */
export type WireType = 'string' | 'id' | 'boolean' | 'number' | 'set' | 'objectList' | 'map' | 'object' | 'tagged' | 'datetime' | 'enum';

/** One property: its wire type, whether clients may write it, and whether null is allowed. */
export interface PropShape {
  readonly type: WireType;
  readonly update: 'mutable' | 'serverSet';
  readonly nullable?: boolean;
  /** For objectList, object and tagged: the shape of the items (by name in SHAPES). */
  readonly of?: string;
}

/** One object or nested object: its properties, and for tagged unions the `@type` variants. */
export interface ObjectShape {
  readonly properties: Readonly<Record<string, PropShape>>;
  readonly variants?: readonly string[];
  /** Registry objects: the properties `x:<Object>/query` may filter on (their index schema); others are unsupportedFilter. */
  readonly filters?: readonly string[];
}

const m = (type: WireType, extra: Partial<PropShape> = {}): PropShape => ({ type, update: 'mutable', ...extra });
const server = (type: WireType): PropShape => ({ type, update: 'serverSet' });

/** The registry objects (`x:<Object>`) and nested objects Mailroom reads or writes. */
export const SHAPES: Readonly<Record<string, ObjectShape>> = {
  Domain: {
    properties: {
      name: m('string'), aliases: m('set'), isEnabled: m('boolean'), createdAt: server('datetime'), description: m('string', { nullable: true }),
      logo: m('string', { nullable: true }), certificateManagement: m('tagged'), dkimManagement: m('tagged'), dnsManagement: m('tagged'),
      memberTenantId: m('id', { nullable: true }), directoryId: m('id', { nullable: true }), catchAllAddress: m('string', { nullable: true }),
      subAddressing: m('tagged'), allowRelaying: m('boolean'), reportAddressUri: m('string', { nullable: true }), dnsZoneFile: server('string'),
    },
    filters: ['text', 'aliases', 'memberTenantId', 'name'],
  },
  Account: {
    variants: ['User', 'Group'],
    properties: {
      name: m('string'), domainId: m('id'), credentials: m('objectList', { of: 'Credential' }), createdAt: server('datetime'),
      memberGroupIds: m('set'), memberTenantId: m('id', { nullable: true }), roles: m('tagged'), permissions: m('tagged', { of: 'Permissions' }),
      quotas: m('map'), aliases: m('objectList', { of: 'EmailAlias' }), description: m('string', { nullable: true }), locale: m('enum'),
      timeZone: m('enum', { nullable: true }), encryptionAtRest: m('tagged'), emailAddress: server('string'), usedDiskQuota: server('number'),
    },
    filters: ['text', '@type', 'domainId', 'memberGroupIds', 'memberTenantId', 'name'],
  },
  MailingList: {
    properties: {
      name: m('string'), domainId: m('id'), description: m('string', { nullable: true }), aliases: m('objectList', { of: 'EmailAlias' }),
      memberTenantId: m('id', { nullable: true }), recipients: m('set'), emailAddress: server('string'),
    },
    filters: ['text', 'memberTenantId'],
  },
  DkimSignature: {
    variants: ['Dkim1Ed25519Sha256', 'Dkim1RsaSha256', 'Dkim2Ed25519Sha256', 'Dkim2RsaSha256'],
    properties: {
      auid: m('string', { nullable: true }), canonicalization: m('enum'), expire: m('number', { nullable: true }), headers: m('set'),
      privateKey: m('tagged', { of: 'SecretText' }), publicKey: server('string'), report: m('boolean'), thirdParty: m('string', { nullable: true }),
      thirdPartyHash: m('enum', { nullable: true }), domainId: m('id'), memberTenantId: m('id', { nullable: true }), selector: m('string'),
      createdAt: server('datetime'), nextTransitionAt: m('datetime', { nullable: true }), stage: m('enum'),
    },
    filters: ['domainId', 'memberTenantId'],
  },
  EmailAlias: { properties: { enabled: m('boolean'), name: m('string'), domainId: m('id'), description: m('string', { nullable: true }) } },
  Credential: {
    variants: ['Password', 'AppPassword', 'ApiKey'],
    properties: { credentialId: server('string'), secret: m('string'), otpAuth: m('string', { nullable: true }), expiresAt: m('datetime', { nullable: true }), allowedIps: m('set') },
  },
  Permissions: { variants: ['Inherit', 'Merge', 'Replace'], properties: { enabledPermissions: m('set'), disabledPermissions: m('set') } },
  SecretText: { variants: ['Text', 'EnvironmentVariable', 'File'], properties: { secret: m('string') } },
  /** RFC 9661 SieveScript in a user's own account; content is a blob. */
  SieveScript: { properties: { name: m('string', { nullable: true }), blobId: m('string'), isActive: server('boolean') } },
};

/** Enum values the fake checks. */
export const ENUMS = {
  DkimRotationStage: ['active', 'pending', 'retiring', 'retired'],
  StorageQuota: ['maxEmails', 'maxMailboxes', 'maxEmailSubmissions', 'maxEmailIdentities', 'maxParticipantIdentities', 'maxSieveScripts', 'maxPushSubscriptions', 'maxCalendars', 'maxCalendarEvents', 'maxCalendarEventNotifications', 'maxAddressBooks', 'maxContactCards', 'maxFiles', 'maxFolders', 'maxMaskedAddresses', 'maxAppPasswords', 'maxApiKeys', 'maxPublicKeys', 'maxDiskQuota'],
} as const;

/** Facts of the session and HTTP API outside the objects. */
export const SESSION_FACTS = {
  /** `urn:stalwart:jmap` is an account capability and a primaryAccounts key, never a session capability. */
  stalwartCapabilityInSession: false,
  apiPath: '/jmap/',
  uploadPath: '/jmap/upload/{accountId}/',
  downloadPath: '/jmap/download/{accountId}/{blobId}/{name}?accept={type}',
  /** `/api/account`: effective permissions (Permission enum names, camelCase), edition oss | community | enterprise, locale. */
  accountPath: '/api/account',
  /** SetError types the registry adds to RFC 8620's (map_write_error in crates/jmap/src/registry/set.rs). */
  registrySetErrors: ['objectIsLinked', 'invalidForeignKey', 'primaryKeyViolation', 'validationFailed'],
} as const;

/** Checks one value against a property shape; returns why it does not fit, or null. */
export function checkValue(shape: PropShape, value: unknown): string | null {
  if (value === null) return shape.nullable ? null : 'null is not allowed';
  switch (shape.type) {
    case 'string': case 'id': case 'datetime': case 'enum': return typeof value === 'string' ? null : 'expected a string';
    case 'boolean': return typeof value === 'boolean' ? null : 'expected a boolean';
    case 'number': return typeof value === 'number' ? null : 'expected a number';
    case 'set': return isObject(value) && Object.values(value).every((v) => v === true) ? null : 'a set is an object of `value: true`, not an array';
    case 'map': return isObject(value) ? null : 'expected an object';
    case 'objectList': {
      if (!isObject(value) || !Object.keys(value).every((k) => /^\d+$/.test(k))) return 'an object list is an object keyed "0", "1", …, not an array';
      return Object.values(value).map((item) => checkObject(shape.of ?? '', item)).find((e) => e !== null) ?? null;
    }
    case 'object': return isObject(value) ? (shape.of ? checkObject(shape.of, value) : null) : 'expected an object';
    case 'tagged': {
      if (!isObject(value) || typeof value['@type'] !== 'string') return 'a tagged object needs "@type"';
      return shape.of ? checkObject(shape.of, value) : null;
    }
  }
}

/** Checks a whole object (or nested object) against its shape: known properties, writable ones, right types. */
export function checkObject(name: string, value: unknown, writing = true): string | null {
  const shape = SHAPES[name];
  if (!shape) return null;
  if (!isObject(value)) return `${name}: expected an object`;
  if (shape.variants && value['@type'] !== undefined && !shape.variants.includes(String(value['@type']))) return `${name}: unknown @type ${String(value['@type'])}`;
  for (const [key, v] of Object.entries(value)) {
    if (key === '@type' || key === 'id') continue;
    const prop = shape.properties[key];
    if (!prop) return `${name}.${key}: no such property`;
    if (writing && prop.update === 'serverSet') return `${name}.${key}: set by the server`;
    const problem = checkValue(prop, v);
    if (problem) return `${name}.${key}: ${problem}`;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
