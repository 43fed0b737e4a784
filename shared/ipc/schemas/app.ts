import { z } from 'zod';

/** Argument validators of the `app` area. */
export const appSchemas = {
  info: z.tuple([]),
};
