import { create } from 'zustand';
import type { ToastItem } from '../components/toast.tsx';

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

/** Shows a notification; errors stay longer because they usually need reading. */
export function notify(toast: Omit<ToastItem, 'id'>): void {
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-2), { ...toast, id }] }));
  setTimeout(() => useToasts.getState().dismiss(id), toast.tone === 'danger' ? 10_000 : 5_000);
}
