import { create } from 'zustand';
import type { AppError } from '../../shared/errors/result.ts';
import type { ToastItem } from '../components/toast.tsx';
import { describeError, type ErrorContext } from '../lib/error-text.ts';
import { useAppInfo } from './app-info-store.ts';

interface ToastState {
  readonly toasts: readonly ToastItem[];
  dismiss(id: number): void;
}

let nextId = 1;

/** The notifications on screen. */
export const useToasts = create<ToastState>()((set) => ({
  toasts: [],
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a notification; errors and undoable changes stay longer because they usually need reading or a click. */
export function notify(toast: Omit<ToastItem, 'id'>): void {
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-2), { ...toast, id }] }));
  setTimeout(() => useToasts.getState().dismiss(id), toast.tone === 'danger' || toast.action ? 10_000 : 5_000);
}

/** Shows a failure: the code's sentence, the backend's own reason under it, and the code with the connection and object it concerns. */
export function notifyError(title: string, error: AppError, context: ErrorContext = {}, note?: string): void {
  const described = describeError(error, context, useAppInfo.getState().command);
  notify({
    tone: 'danger',
    title,
    body: note ? `${described.title} ${note}` : described.title,
    ...(described.reason ? { reason: described.reason } : {}),
    meta: [error.code, described.context].filter(Boolean).join(' · '),
  });
}
