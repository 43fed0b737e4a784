import { checkObject } from './stalwart-shapes.ts';
import type { MethodError, SetError } from './stalwart-registry.ts';

/** A user's Sieve script as JMAP for Sieve (RFC 9661) shows it. */
export interface Script { id: string; name: string | null; blobId: string; isActive: boolean }

/**
 * Per-account JMAP for Sieve with blobs, as Stalwart serves it (crates/jmap/src/sieve/set.rs): one active script
 * per account, an active script cannot be destroyed (scriptIsActive), "vacation" is reserved, names are unique.
 */
export class SieveAccounts {
  readonly blobs = new Map<string, { accountId: string; text: string }>();
  readonly scripts = new Map<string, Map<string, Script>>();
  #next = 1;

  /** Stores an uploaded blob (RFC 8620 §6.1). */
  upload(accountId: string, text: string, type: string): Record<string, unknown> {
    const blobId = `b${this.#next++}`;
    this.blobs.set(blobId, { accountId, text });
    return { accountId, blobId, type, size: Buffer.byteLength(text) };
  }

  /** The script text of a blob of `accountId`. */
  download(accountId: string, blobId: string): string | undefined {
    const blob = this.blobs.get(blobId);
    return blob && blob.accountId === accountId ? blob.text : undefined;
  }

  /** Stores a script as the user would through ManageSieve or the web UI (test setup); an active one deactivates the others. */
  seedScript(accountId: string, name: string, text: string, active: boolean): Script {
    const { blobId } = this.upload(accountId, text, 'application/sieve') as { blobId: string };
    const scripts = this.of(accountId);
    if (active) for (const other of scripts.values()) other.isActive = false;
    const script: Script = { id: `s${this.#next++}`, name, blobId, isActive: active };
    scripts.set(script.id, script);
    return script;
  }

  /** The scripts of an account (test assertions). */
  of(accountId: string): Map<string, Script> {
    let scripts = this.scripts.get(accountId);
    if (!scripts) this.scripts.set(accountId, (scripts = new Map()));
    return scripts;
  }

  /** Serves `SieveScript/get` and `SieveScript/set` in `accountId`. */
  call(method: string, args: Record<string, unknown>, accountId: string): Record<string, unknown> | MethodError {
    const scripts = this.of(accountId);
    if (method === 'SieveScript/get') {
      const ids = (args['ids'] ?? null) as string[] | null;
      const list = ids === null ? [...scripts.values()] : ids.map((id) => scripts.get(id)).filter((s): s is Script => s !== undefined);
      return { accountId, state: 's1', list: structuredClone(list), notFound: ids === null ? [] : ids.filter((id) => !scripts.has(id)) };
    }
    if (method !== 'SieveScript/set') return { error: { type: 'unknownMethod' } };
    const created: Record<string, Script> = {};
    const notCreated: Record<string, SetError> = {};
    const updated: Record<string, null> = {};
    const notUpdated: Record<string, SetError> = {};
    const destroyed: string[] = [];
    const notDestroyed: Record<string, SetError> = {};
    for (const [cid, raw] of Object.entries((args['create'] ?? {}) as Record<string, Record<string, unknown>>)) {
      const error = this.#check(accountId, raw, null);
      if (error) notCreated[cid] = error;
      else {
        const script: Script = { id: `s${this.#next++}`, name: (raw['name'] as string | null) ?? null, blobId: String(raw['blobId']), isActive: false };
        scripts.set(script.id, script);
        created[cid] = structuredClone(script);
      }
    }
    for (const [id, raw] of Object.entries((args['update'] ?? {}) as Record<string, Record<string, unknown>>)) {
      const script = scripts.get(id);
      const error = script ? this.#check(accountId, raw, script) : { type: 'notFound' };
      if (error) notUpdated[id] = error;
      else {
        Object.assign(script!, raw);
        updated[id] = null;
      }
    }
    for (const id of (args['destroy'] ?? []) as string[]) {
      const script = scripts.get(id);
      if (!script) notDestroyed[id] = { type: 'notFound' };
      else if (script.isActive) notDestroyed[id] = { type: 'scriptIsActive', description: 'Deactivate Sieve script before deletion.' };
      else {
        scripts.delete(id);
        destroyed.push(id);
      }
    }
    const clean = !Object.keys(notCreated).length && !Object.keys(notUpdated).length && !Object.keys(notDestroyed).length;
    const activate = args['onSuccessActivateScript'];
    if (clean && typeof activate === 'string') {
      const target = activate.startsWith('#') ? created[activate.slice(1)]?.id : activate;
      for (const s of scripts.values()) s.isActive = s.id === target;
    } else if (clean && args['onSuccessDeactivateScript'] === true) {
      for (const s of scripts.values()) s.isActive = false;
    }
    const nonEmpty = (o: object): object | null => (Object.keys(o).length ? o : null);
    return { accountId, oldState: 's1', newState: 's2', created: nonEmpty(created), notCreated: nonEmpty(notCreated), updated: nonEmpty(updated), notUpdated: nonEmpty(notUpdated), destroyed, notDestroyed: nonEmpty(notDestroyed) };
  }

  #check(accountId: string, raw: Record<string, unknown>, current: Script | null): SetError | null {
    const shape = checkObject('SieveScript', raw);
    if (shape) return { type: 'invalidProperties', description: shape };
    const name = raw['name'] ?? current?.name;
    if (typeof name === 'string' && name.toLowerCase() === 'vacation') return { type: 'forbidden', description: "The 'vacation' name is reserved, please use a different name." };
    if (name !== undefined && [...this.of(accountId).values()].some((s) => s.name === name && s.id !== current?.id)) return { type: 'alreadyExists' };
    const blobId = raw['blobId'];
    if (blobId !== undefined) {
      const text = this.download(accountId, String(blobId));
      if (text === undefined) return { type: 'blobNotFound' };
      // Stalwart compiles the script on upload into a script object; a redirect with :copy needs the extension.
      if (/:copy\b/.test(text) && !/require\s*\[?[^;]*"copy"/.test(text)) return { type: 'invalidScript', description: 'Extension "copy" is not required' };
    } else if (!current) return { type: 'invalidProperties', properties: ['blobId'] };
    return null;
  }
}

