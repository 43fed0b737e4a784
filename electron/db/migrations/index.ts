import { foundation } from './001-foundation.ts';

/** A schema step; its checksum is recorded so an edited, already-applied step is detected. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every schema step, in order. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [{ version: 1, name: 'foundation', sql: foundation }];
