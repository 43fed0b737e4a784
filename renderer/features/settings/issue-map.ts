import type { z } from 'zod';

/** The first message per field path (`host`, `plans.2.monthly`) of a failed shared-schema check, for inline errors. */
export function issueMap(error: z.ZodError): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.');
    byPath[key] ??= issue.message;
  }
  return byPath;
}

/** True when a pasted text holds a line break, which a one-line field must refuse rather than silently drop. */
export function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}
