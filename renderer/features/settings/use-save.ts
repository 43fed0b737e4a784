import { useState } from 'react';
import type { AppError, Result } from '../../../shared/errors/result.ts';

/** The save step of a Settings card: busy while the call runs, its error kept for display, `onSaved` on success. */
export function useSave<T>() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const run = async (call: () => Promise<Result<T>>, onSaved: (value: T) => void): Promise<void> => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    setFailure(result.ok ? null : result.error);
    if (result.ok) onSaved(result.value);
  };
  return { busy, failure, setFailure, run };
}
