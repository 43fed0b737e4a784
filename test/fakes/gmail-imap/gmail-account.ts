/** One stored message: its bytes once, whatever number of labels (folders) show it. */
export interface GmailMessage {
  readonly msgid: bigint;
  readonly thrid: bigint;
  readonly raw: Buffer;
  readonly internalDate: Date;
  readonly flags: Set<string>;
  /** Unicode label names; system labels as Gmail spells them (\\Inbox, \\Sent, \\Draft, \\Important, \\Starred). */
  readonly labels: Set<string>;
}

/** A folder as Gmail shows it: its UIDs point at shared messages. */
export interface GmailFolder {
  readonly name: string;
  readonly uidValidity: number;
  uidNext: number;
  readonly uids: Map<number, GmailMessage>;
  /** The same membership by message, for O(1) look-ups. */
  readonly uidOf: Map<GmailMessage, number>;
  readonly specialUse: string | null;
  readonly noselect: boolean;
}

// Gmail's system folders (the US English names) and the label or state that puts a message in each.
const SYSTEM: readonly { name: string; use: string | null; label: string | null }[] = [
  { name: 'INBOX', use: null, label: '\\Inbox' },
  { name: '[Gmail]/All Mail', use: '\\All', label: null },
  { name: '[Gmail]/Drafts', use: '\\Drafts', label: '\\Draft' },
  { name: '[Gmail]/Important', use: '\\Important', label: '\\Important' },
  { name: '[Gmail]/Sent Mail', use: '\\Sent', label: '\\Sent' },
  { name: '[Gmail]/Spam', use: '\\Junk', label: '\\Spam' },
  { name: '[Gmail]/Starred', use: '\\Flagged', label: '\\Starred' },
  { name: '[Gmail]/Trash', use: '\\Trash', label: '\\Trash' },
];

/** Labels a client may not set through X-GM-LABELS (Gmail derives them). */
const DERIVED = new Set(['\\Draft', '\\Sent']);

/**
 * One Gmail account in memory: messages stored once, shown in every folder of their labels with a
 * folder's own UID, and in [Gmail]/All Mail unless in Spam or Trash — as Google documents it.
 */
export class GmailAccount {
  readonly folders = new Map<string, GmailFolder>();
  /** Folders whose "Show in IMAP" setting is off: not listed and not selectable, their messages still in their other labels. */
  readonly hiddenFromImap = new Set<string>();
  private nextMsgid = 1_278_455_344_230_334_865n;
  private validity = 600_000_001;

  constructor() {
    this.addFolder('[Gmail]', null, true);
    for (const s of SYSTEM) this.addFolder(s.name, s.use, false);
  }

  /** The folder that shows a label, created for a user label the first time it is used. */
  folderOfLabel(label: string): GmailFolder {
    const system = SYSTEM.find((s) => s.label?.toLowerCase() === label.toLowerCase());
    if (system) return this.folders.get(system.name)!;
    return this.folders.get(label) ?? this.addFolder(label, null, false);
  }

  /** The label a folder stands for (null for All Mail and [Gmail]). */
  labelOfFolder(name: string): string | null {
    const system = SYSTEM.find((s) => s.name === name);
    if (system) return system.label;
    return name === '[Gmail]' ? null : name;
  }

  /** Adds a folder (CREATE makes a label). */
  addFolder(name: string, use: string | null, noselect: boolean): GmailFolder {
    const folder: GmailFolder = { name, uidValidity: this.validity++, uidNext: 1, uids: new Map(), uidOf: new Map(), specialUse: use, noselect };
    this.folders.set(name, folder);
    // A label "a/b" shows its parents as folders too.
    const parent = name.lastIndexOf('/');
    if (parent > 0 && !this.folders.has(name.slice(0, parent))) this.addFolder(name.slice(0, parent), null, false);
    return folder;
  }

  /** Stores a message with these labels (APPEND into a label folder, or a test seeding the account). */
  add(raw: Buffer, labels: readonly string[], flags: readonly string[] = [], internalDate = new Date(), thrid?: bigint): GmailMessage {
    const msgid = this.nextMsgid++;
    const m: GmailMessage = { msgid, thrid: thrid ?? msgid, raw, internalDate, flags: new Set(flags), labels: new Set() };
    if (m.flags.has('\\Flagged')) m.labels.add('\\Starred');
    this.setLabels(m, labels, true);
    this.place(m);
    return m;
  }

  /** Adds or removes labels (STORE ±X-GM-LABELS); the folders' memberships follow. */
  setLabels(m: GmailMessage, labels: readonly string[], add: boolean): void {
    for (const l of labels) {
      const name = normalize(l);
      if (!add && DERIVED.has(name)) continue;
      if (add) m.labels.add(name);
      else m.labels.delete(name);
      if (name === '\\Starred') {
        if (add) m.flags.add('\\Flagged');
        else m.flags.delete('\\Flagged');
      }
    }
    this.place(m);
  }

  /** Keeps \\Starred in step with \\Flagged (STORE FLAGS) and re-places the message. */
  flagsChanged(m: GmailMessage): void {
    if (m.flags.has('\\Flagged')) m.labels.add('\\Starred');
    else m.labels.delete('\\Starred');
    this.place(m);
  }

  /** Messages of the account (each once). */
  messages(): GmailMessage[] {
    return [...this.folders.get('[Gmail]/All Mail')!.uids.values(), ...this.folders.get('[Gmail]/Spam')!.uids.values(), ...this.folders.get('[Gmail]/Trash')!.uids.values()];
  }

  /** The UID a message has in a folder, or null. */
  uidIn(folder: GmailFolder, m: GmailMessage): number | null {
    return folder.uidOf.get(m) ?? null;
  }

  // Shows the message in exactly the folders its labels call for, keeping the UIDs it already has.
  private place(m: GmailMessage): void {
    const hidden = m.labels.has('\\Trash') || m.labels.has('\\Spam');
    const wanted = new Set<GmailFolder>();
    if (!hidden) wanted.add(this.folders.get('[Gmail]/All Mail')!);
    for (const l of m.labels) if (!hidden || l === '\\Trash' || l === '\\Spam') wanted.add(this.folderOfLabel(l));
    for (const f of this.folders.values()) {
      const uid = this.uidIn(f, m);
      if (wanted.has(f) && uid === null) {
        f.uids.set(f.uidNext, m);
        f.uidOf.set(m, f.uidNext++);
      }
      if (!wanted.has(f) && uid !== null) {
        f.uids.delete(uid);
        f.uidOf.delete(m);
      }
    }
  }
}

// System labels compare case-insensitively; Gmail answers with its own spelling.
function normalize(label: string): string {
  const system = ['\\Inbox', '\\Sent', '\\Draft', '\\Important', '\\Starred', '\\Spam', '\\Trash'].find((s) => s.toLowerCase() === label.toLowerCase());
  return system ?? label;
}
