import { createPublicKey } from 'node:crypto';
import { checkObject, checkValue, SHAPES, ENUMS } from './stalwart-shapes.ts';

/** A stored registry object. */
export type Obj = Record<string, unknown> & { id: string };
/** A JMAP SetError as the registry sends it. */
export type SetError = { type: string; description?: string; properties?: string[]; objectId?: string };
/** A JMAP method-level error. */
export type MethodError = { error: { type: string; description?: string } };

/** The registry objects this fake serves. */
export const REGISTRY_TYPES = ['Domain', 'Account', 'MailingList', 'DkimSignature'] as const;
/** One of REGISTRY_TYPES. */
export type RegistryType = (typeof REGISTRY_TYPES)[number];

const MASK = '****';
const entries = (o: unknown): [string, unknown][] => Object.entries((o ?? {}) as Record<string, unknown>);

/**
 * Stalwart 0.16's registry behind `x:<Object>/query|get|set`: filters only on indexed properties, JMAP patch
 * paths, sets as `{v: true}` and object lists as `{"0": …}`, unique addresses across accounts and lists,
 * foreign keys, linked objects, server-set and masked properties.
 */
export class RegistryStore {
  readonly store = new Map<RegistryType, Map<string, Obj>>(REGISTRY_TYPES.map((t) => [t, new Map()]));
  #next = 1;

  /** Adds an object directly (test setup), without validation, and returns its id. */
  seed(type: RegistryType, fields: Record<string, unknown>): string {
    const id = `${type[0]?.toLowerCase()}${(this.#next++).toString(36)}`;
    this.store.get(type)!.set(id, { ...structuredClone(fields), id });
    return id;
  }

  /** `x:<type>/query`. */
  query(type: RegistryType, args: Record<string, unknown>): Record<string, unknown> | MethodError {
    const filter = (args['filter'] ?? {}) as Record<string, unknown>;
    const allowed = SHAPES[type]?.filters ?? [];
    const bad = Object.keys(filter).find((k) => !allowed.includes(k));
    if (bad) return { error: { type: 'unsupportedFilter', description: `Filter on property ${bad} is not supported or invalid` } };
    const match = (o: Obj): boolean =>
      entries(filter).every(([k, v]) => {
        if (k === 'text') return JSON.stringify(o).toLowerCase().includes(String(v).toLowerCase());
        if (k === 'aliases') return entries(o['aliases']).some(([a]) => a === v);
        return String(o[k]).toLowerCase() === String(v).toLowerCase();
      });
    const all = [...this.store.get(type)!.values()].filter(match);
    const position = Number(args['position'] ?? 0);
    const limit = Number(args['limit'] ?? 1000);
    return { ids: all.slice(position, position + limit).map((o) => o.id), position, ...(args['calculateTotal'] ? { total: all.length } : {}), queryState: 'q1', canCalculateChanges: false };
  }

  /** `x:<type>/get`: server-set properties computed, secrets masked. */
  get(type: RegistryType, args: Record<string, unknown>): Record<string, unknown> {
    const store = this.store.get(type)!;
    const ids = (args['ids'] ?? [...store.keys()]) as string[];
    const list = ids.map((id) => store.get(id)).filter((o): o is Obj => o !== undefined).map((o) => this.#view(type, o));
    return { list, notFound: ids.filter((id) => !store.has(id)), state: 's1' };
  }

  #view(type: RegistryType, o: Obj): Obj {
    const view = structuredClone(o);
    const domain = this.store.get('Domain')!.get(String(o['domainId']));
    if (type === 'Account' || type === 'MailingList') view['emailAddress'] = `${String(o['name'])}@${String(domain?.['name'])}`;
    if (type === 'Account') {
      view['usedDiskQuota'] = Number(o['usedDiskQuota'] ?? 0);
      for (const [, c] of entries(view['credentials'])) (c as Record<string, unknown>)['secret'] = MASK;
    }
    if (type === 'DkimSignature') {
      const secret = String((o['privateKey'] as Record<string, unknown> | undefined)?.['secret'] ?? '');
      view['publicKey'] = secret ? createPublicKey(secret).export({ type: 'spki', format: 'pem' }).toString() : '';
      view['privateKey'] = { '@type': 'Text', secret: MASK };
    }
    return view;
  }

  /** `x:<type>/set`. */
  set(type: RegistryType, args: Record<string, unknown>): Record<string, unknown> {
    const store = this.store.get(type)!;
    const created: Record<string, { id: string }> = {};
    const notCreated: Record<string, SetError> = {};
    const updated: Record<string, null> = {};
    const notUpdated: Record<string, SetError> = {};
    const destroyed: string[] = [];
    const notDestroyed: Record<string, SetError> = {};
    for (const [cid, fields] of entries(args['create'])) {
      const shapeError = checkObject(type, fields);
      const error = shapeError ? { type: 'invalidProperties', description: shapeError } : this.#validate(type, fields as Record<string, unknown>, null);
      if (error) notCreated[cid] = error;
      else created[cid] = { id: this.seed(type, fields as Record<string, unknown>) };
    }
    for (const [id, patch] of entries(args['update'])) {
      const current = store.get(id);
      if (!current) {
        notUpdated[id] = { type: 'notFound' };
        continue;
      }
      const next = applyPatch(type, current, patch as Record<string, unknown>);
      const error = typeof next === 'string' ? { type: 'invalidPatch', description: next } : this.#validate(type, next, id);
      if (error) notUpdated[id] = error;
      else {
        store.set(id, next as Obj);
        updated[id] = null;
      }
    }
    for (const id of (args['destroy'] ?? []) as string[]) {
      const linked = type === 'Domain' ? (['Account', 'MailingList', 'DkimSignature'] as const).flatMap((t) => [...this.store.get(t)!.values()].filter((o) => o['domainId'] === id)) : [];
      if (!store.has(id)) notDestroyed[id] = { type: 'notFound' };
      else if (linked.length) notDestroyed[id] = { type: 'objectIsLinked', objectId: id, description: `Linked to ${linked.length} objects` };
      else {
        store.delete(id);
        destroyed.push(id);
      }
    }
    const nonEmpty = (o: object): object | null => (Object.keys(o).length ? o : null);
    return { created: nonEmpty(created), notCreated: nonEmpty(notCreated), updated: nonEmpty(updated), notUpdated: nonEmpty(notUpdated), destroyed, notDestroyed: nonEmpty(notDestroyed), oldState: 's1', newState: 's2' };
  }

  #validate(type: RegistryType, o: Record<string, unknown>, selfId: string | null): SetError | null {
    const others = (t: RegistryType): Obj[] => [...this.store.get(t)!.values()].filter((x) => x.id !== selfId);
    const domains = this.store.get('Domain')!;
    if (type === 'Domain') {
      if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(String(o['name']))) return { type: 'validationFailed', properties: ['name'], description: 'Invalid domain name' };
      const clash = others('Domain').find((d) => d['name'] === o['name']);
      if (clash) return { type: 'primaryKeyViolation', properties: ['name'], objectId: clash.id };
      const alias = entries(o['aliases']).map(([a]) => a).find((a) => others('Domain').some((d) => entries(d['aliases']).some(([b]) => b === a)));
      return alias ? { type: 'primaryKeyViolation', properties: ['aliases'], description: `${alias} is an alias of another domain` } : null;
    }
    const domainId = String(o['domainId']);
    if (!domains.has(domainId)) return { type: 'invalidForeignKey', properties: ['domainId'], objectId: domainId };
    if (type === 'DkimSignature') {
      if (!ENUMS.DkimRotationStage.includes(String(o['stage'] ?? 'active') as never)) return { type: 'validationFailed', properties: ['stage'] };
      try {
        createPublicKey(String((o['privateKey'] as Record<string, unknown>)['secret']));
      } catch {
        return { type: 'validationFailed', properties: ['privateKey'], description: 'Failed to parse private key' };
      }
      return null;
    }
    if (!/^[a-z0-9._+-]+$/i.test(String(o['name']))) return { type: 'validationFailed', properties: ['name'], description: 'Invalid local part' };
    const quotas = entries(o['quotas']).find(([k]) => !ENUMS.StorageQuota.includes(k as never));
    if (quotas) return { type: 'validationFailed', properties: ['quotas'], description: `Unknown quota ${quotas[0]}` };
    const mine = addresses(o);
    for (const alias of listItems(o['aliases'])) if (!domains.has(String(alias['domainId']))) return { type: 'invalidForeignKey', properties: ['aliases'] };
    const taken = [...others('Account'), ...others('MailingList')].find((x) => addresses(x).some((a) => mine.includes(a)));
    return taken ? { type: 'primaryKeyViolation', properties: ['name'], objectId: taken.id } : null;
  }
}

function listItems(list: unknown): Record<string, unknown>[] {
  return entries(list).map(([, v]) => v as Record<string, unknown>);
}

function addresses(o: Record<string, unknown>): string[] {
  return [`${String(o['name'])}@${String(o['domainId'])}`.toLowerCase(), ...listItems(o['aliases']).map((a) => `${String(a['name'])}@${String(a['domainId'])}`.toLowerCase())];
}

/** Applies a JMAP PatchObject (RFC 8620 §5.3): keys are paths; null removes. Returns the new object or why it was refused. */
function applyPatch(type: RegistryType, current: Obj, patch: Record<string, unknown>): Obj | string {
  const next: Obj = structuredClone(current);
  for (const [path, value] of Object.entries(patch)) {
    const keys = path.split('/');
    const top = SHAPES[type]?.properties[keys[0] ?? ''];
    if (!top) return `${type}.${keys[0]}: no such property`;
    if (top.update === 'serverSet') return `${type}.${keys[0]}: set by the server`;
    if (keys.length === 1 && value !== null) {
      const problem = checkValue(top, value);
      if (problem) return `${type}.${keys[0]}: ${problem}`;
    }
    if (top.type === 'set' && keys.length === 2 && value !== true && value !== null) return `${type}.${path}: a set member is true or null`;
    let target = next as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
    const last = keys[keys.length - 1] ?? '';
    if (value === null) delete target[last];
    else target[last] = value;
  }
  const problem = checkObject(type, next, false);
  return problem ?? next;
}
