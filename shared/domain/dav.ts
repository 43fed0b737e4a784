/** Calendars and address books moved with a mailbox (CalDAV RFC 4791, CardDAV RFC 6352). */

/** What a collection holds. */
export type DavCollectionKind = 'calendar' | 'addressbook';

/** One calendar or address book as discovery finds it. */
export interface DavCollectionInfo {
  readonly kind: DavCollectionKind;
  readonly url: string;
  readonly displayName: string;
  readonly description: string | null;
  /** Calendar colour as the server keeps it (Apple's calendar-color), or null. */
  readonly color: string | null;
  /** The calendar's VTIMEZONE text, or null. */
  readonly timezone: string | null;
  /** Component types a calendar accepts (VEVENT, VTODO, …); empty for address books. */
  readonly components: readonly string[];
  /** The collection's change tag (CTag) or sync token, when the server offers one. */
  readonly changeTag: string | null;
}

/** One item that did not copy, with the reason. */
export interface DavItemFailure {
  readonly collection: string;
  readonly uid: string;
  readonly reason: string;
}

/** What happened to one collection. */
export interface DavCollectionReport {
  readonly kind: DavCollectionKind;
  readonly sourceName: string;
  readonly targetUrl: string;
  /** Items in the source collection. */
  readonly sourceCount: number;
  /** Items written to the target and read back equal in canonical form. */
  readonly copied: number;
  /** Items already on the target, unchanged since the last pass. */
  readonly unchanged: number;
  readonly failed: number;
  /** True when the collection's change tag showed nothing changed, so no item was listed. */
  readonly skippedByChangeTag: boolean;
  /** Items the target cannot hold at all (a task for a calendar of events only), by the rule in `conversions`. */
  readonly notCarried?: number;
  /** What the target could not hold as it was and how it was converted, by property. */
  readonly conversions?: readonly DavConversion[];
}

/** One conversion rule applied while copying a collection, with the number of items it touched. */
export interface DavConversion {
  /** COMPONENT/PROPERTY (e.g. VCALENDAR/VEVENT/ATTENDEE), or the component that was not carried. */
  readonly field: string;
  readonly rule: string;
  readonly items: number;
}

/** The outcome of copying one account's calendars and address books. */
export interface DavCopyReport {
  readonly source: string;
  readonly target: string;
  readonly collections: readonly DavCollectionReport[];
  readonly failures: readonly DavItemFailure[];
  /** Items whose source could not be parsed or has no UID: copied nowhere, listed here. */
  readonly warnings: readonly string[];
  readonly complete: boolean;
}

/** Progress while copying. */
export interface DavCopyProgress {
  readonly collection: string;
  readonly collectionsDone: number;
  readonly collectionsTotal: number;
  readonly copied: number;
  readonly unchanged: number;
  readonly failed: number;
}
