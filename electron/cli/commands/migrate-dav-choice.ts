import { UsageError } from '../cli-context.ts';

/** Which DAV kinds `mailroom migrate` copies: both by default, only the one named, minus the ones turned off. */
export interface DavChoice {
  readonly calendars: boolean;
  readonly contacts: boolean;
}

/** The choice from --calendars/--contacts/--no-calendars/--no-contacts. */
export function davChoice(values: { calendars?: boolean | undefined; contacts?: boolean | undefined; 'no-calendars'?: boolean | undefined; 'no-contacts'?: boolean | undefined }): DavChoice {
  const named = values.calendars || values.contacts;
  if ((values.calendars && values['no-calendars']) || (values.contacts && values['no-contacts'])) throw new UsageError('--calendars/--contacts and --no-calendars/--no-contacts contradict each other.');
  return { calendars: !values['no-calendars'] && (!named || !!values.calendars), contacts: !values['no-contacts'] && (!named || !!values.contacts) };
}
