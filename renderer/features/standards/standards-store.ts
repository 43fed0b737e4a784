import { create } from 'zustand';
import type { AcceptDeviation, Standard, StandardEvaluation, StandardSummary } from '../../../shared/domain/standards.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { parseStandardFile } from './drift-model.ts';

/** A stored standard as the page lists it: the summary and the document (targets, rules, modes). */
export interface StandardEntry {
  readonly summary: StandardSummary;
  readonly document: Standard;
}

interface StandardsState {
  readonly loaded: boolean;
  readonly error: AppError | null;
  readonly standards: readonly StandardEntry[];
  /** The standard whose drift is shown. */
  readonly selected: string;
  readonly evaluation: StandardEvaluation | null;
  readonly evaluating: boolean;
  /** The running evaluation's id, which `cancel` stops. */
  readonly runId: string | null;
  readonly evaluateError: AppError | null;
  /** What the last import said: the stored summary, or why the file was refused. */
  readonly imported: { readonly name: string; readonly version: number } | null;
  readonly importError: string | null;
  load(): Promise<void>;
  select(name: string): Promise<void>;
  evaluate(): Promise<void>;
  /** Stops the running evaluation; nothing of it is stored. */
  cancel(): Promise<void>;
  importFile(file: File): Promise<void>;
  accept(input: AcceptDeviation): Promise<AppError | null>;
  /** Re-evaluates one target's domain alone; the page then shows the merged latest evaluation. */
  recheck(target: string): Promise<Result<StandardEvaluation>>;
}

/** The Drift page: stored standards, the chosen one's latest evaluation, evaluate, import and accept. */
export const useStandards = create<StandardsState>()((set, get) => {
  const loadLatest = async (name: string): Promise<void> => {
    const latest = await api.standards.latest(name, {});
    if (get().selected !== name) return;
    if (!latest.ok) return set({ error: latest.error, evaluation: null });
    set({ evaluation: latest.value, error: null });
  };

  return {
    loaded: false,
    error: null,
    standards: [],
    selected: '',
    evaluation: null,
    evaluating: false,
    runId: null,
    evaluateError: null,
    imported: null,
    importError: null,

    async load() {
      const list = await api.standards.list({});
      if (!list.ok) return set({ loaded: true, error: list.error });
      const documents = await Promise.all(list.value.map((s) => api.standards.show(s.name)));
      const failed = documents.find((d) => !d.ok);
      if (failed && !failed.ok) return set({ loaded: true, error: failed.error });
      const standards = list.value.map((summary, i) => ({ summary, document: (documents[i] as { ok: true; value: Standard }).value }));
      const keep = standards.some((s) => s.summary.name === get().selected);
      const selected = keep ? get().selected : (standards[0]?.summary.name ?? '');
      set({ standards, selected, loaded: true, error: null });
      if (selected) await loadLatest(selected);
    },

    async select(name) {
      set({ selected: name, evaluation: null, evaluateError: null });
      await loadLatest(name);
    },

    async evaluate() {
      const name = get().selected;
      if (!name || get().evaluating) return;
      const runId = crypto.randomUUID();
      set({ evaluating: true, evaluateError: null, runId });
      const result = await api.standards.evaluate(name, { runId });
      set({ evaluating: false, runId: null });
      // A cancelled evaluation stored nothing: the page keeps showing the previous one, without an error.
      if (!result.ok && result.error.code === 'cancelled') return;
      if (!result.ok) return set({ evaluateError: result.error });
      if (get().selected === name) set({ evaluation: result.value });
      await get().load();
    },

    async cancel() {
      const runId = get().runId;
      if (runId) await api.standards.cancel(runId);
    },

    async importFile(file) {
      set({ imported: null, importError: null });
      const parsed = parseStandardFile(file.name, await file.text());
      if (!parsed.ok) return set({ importError: parsed.error });
      const stored = await api.standards.import(parsed.value);
      if (!stored.ok) return set({ importError: `${file.name}: ${stored.error.message}` });
      set({ imported: { name: stored.value.name, version: stored.value.version }, selected: stored.value.name });
      await get().load();
    },

    async accept(input) {
      const accepted = await api.standards.accept(input);
      if (!accepted.ok) return accepted.error;
      // An acceptance counts from the next evaluation on: re-check its target (or, accepted everywhere, the whole
      // standard) so the deviation moves to the accepted list.
      if (input.target === '*') {
        await get().evaluate();
        return get().evaluateError;
      }
      const rechecked = await get().recheck(input.target);
      return rechecked.ok ? null : rechecked.error;
    },

    async recheck(target) {
      const name = get().selected;
      const result = await api.standards.recheck(name, target);
      if (result.ok && get().selected === name) set({ evaluation: result.value });
      return result;
    },
  };
});
