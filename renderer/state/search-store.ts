import { create } from 'zustand';

interface SearchState {
  readonly query: string;
  setQuery(query: string): void;
}

/** The text in the top bar's filter box; pages with lists filter by it. */
export const useSearch = create<SearchState>()((set) => ({
  query: '',
  setQuery: (query) => set({ query }),
}));

/** True when every word of `query` occurs in one of `fields` (case-insensitive). */
export function matchesQuery(query: string, fields: readonly (string | null | undefined)[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fields.filter(Boolean).join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}
