import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { frameParts } from './field.tsx';
import { observeRectAfterLayout, scrollAfterMount, visibleItems } from './virtual-table.tsx';
import './combobox.css';

/** One choice of a Combobox; `hint` (e.g. the connection of a domain) is shown beside the label and searched too. */
export interface ComboOption {
  readonly value: string;
  readonly label: string;
  readonly hint?: string;
}

/** Props of Combobox. */
export interface ComboboxProps {
  readonly label: string;
  readonly value: string;
  readonly options: readonly ComboOption[];
  readonly onChange: (value: string) => void;
  readonly placeholder?: string;
  readonly hint?: ReactNode;
  readonly error?: string | null;
  readonly disabled?: boolean;
  readonly className?: string;
  readonly title?: string;
}

const OPTION_HEIGHT = 34;
// A closed list has no size: its ResizeObserver's first report then changes nothing and renders nothing again.
const CLOSED_RECT = { width: 0, height: 0 };
const PAGE = 8;

/** The options whose label or hint contains every typed word (case-insensitive). */
export function filterOptions(options: readonly ComboOption[], text: string): readonly ComboOption[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return options;
  return options.filter((o) => {
    const haystack = `${o.label} ${o.hint ?? ''}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * A searchable picker for long lists (1,000 domains): the ARIA 1.2 combobox pattern with a list popup.
 * Type to filter, ArrowUp/ArrowDown (and PageUp/PageDown) to move, Enter to choose, Escape to close; only the visible options are in the DOM.
 */
export function Combobox({ label, value, options, onChange, placeholder, hint, error, disabled = false, className, title }: ComboboxProps) {
  const inputId = useId();
  const listId = `${inputId}-list`;
  const [open, setOpen] = useState(false);
  // null while the user has not typed since opening: the list then shows every option.
  const [typed, setTyped] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const listRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const selected = options.find((o) => o.value === value);
  const shown = useMemo(() => (typed === null ? options : filterOptions(options, typed)), [options, typed]);
  const keyOf = useCallback((i: number) => shown[i]!.value, [shown]);
  // The list's size from its ResizeObserver, not read while the page around a closed picker commits: that read forced
  // the whole new page's style and layout into the commit of the Mailboxes page (bench/cache/README.md).
  const virtualizer = useVirtualizer({ count: open ? shown.length : 0, getScrollElement: () => listRef.current, estimateSize: () => OPTION_HEIGHT, overscan: 6, getItemKey: keyOf, initialRect: CLOSED_RECT, observeElementRect: observeRectAfterLayout, scrollToFn: scrollAfterMount });
  const items = open ? visibleItems(virtualizer.getVirtualItems(), shown.length, OPTION_HEIGHT, keyOf) : [];
  const { describedBy, frame } = frameParts(inputId, hint, error);
  const optionId = (index: number) => `${inputId}-option-${index}`;

  const move = (index: number) => {
    if (shown.length === 0) return setActive(-1);
    const next = Math.min(Math.max(index, 0), shown.length - 1);
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const openList = () => {
    if (disabled || open) return;
    // The chosen label is selected, so the first key typed replaces it instead of appending to it.
    inputRef.current?.select();
    setOpen(true);
    setTyped(null);
    const at = options.findIndex((o) => o.value === value);
    setActive(at);
    // The list mounts on this render; scroll it to the chosen option on the next frame.
    if (at > 0) requestAnimationFrame(() => virtualizer.scrollToIndex(at, { align: 'center' }));
  };
  const close = () => {
    setOpen(false);
    setTyped(null);
    setActive(-1);
  };
  const choose = (option: ComboOption | undefined) => {
    if (!option) return;
    close();
    if (option.value !== value) onChange(option.value);
    // The chosen label stays selected, so typing again starts a new search instead of extending the label.
    requestAnimationFrame(() => document.activeElement === inputRef.current && inputRef.current?.select());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const handled = (fn: () => void) => {
      event.preventDefault();
      fn();
    };
    switch (event.key) {
      case 'ArrowDown':
        return handled(() => (open ? move(active + 1) : openList()));
      case 'ArrowUp':
        return handled(() => (open ? move(active - 1) : openList()));
      case 'PageDown':
        return open ? handled(() => move(active + PAGE)) : undefined;
      case 'PageUp':
        return open ? handled(() => move(active - PAGE)) : undefined;
      case 'Enter':
        // Open, Enter chooses and must not submit the surrounding form.
        return open ? handled(() => choose(shown[active])) : undefined;
      case 'Escape':
        if (!open) return;
        // Closing the list is all Escape does here: the dialog around it stays open.
        event.stopPropagation();
        return handled(() => {
          close();
          requestAnimationFrame(() => inputRef.current?.select());
        });
      case 'Tab':
        if (open) close();
        return;
    }
  };

  return (
    <div className={`field combobox ${error ? 'field--invalid' : ''} ${className ?? ''}`} title={title}>
      <label className="field__label" htmlFor={inputId}>
        {label}
      </label>
      <div className="combobox__box">
        <input
          ref={inputRef}
          id={inputId}
          className="field__control combobox__input"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 && active < shown.length ? optionId(active) : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          placeholder={placeholder ?? (selected ? undefined : 'Type to search')}
          value={typed ?? selected?.label ?? ''}
          onChange={(e) => {
            if (!open) setOpen(true);
            setTyped(e.target.value);
            setActive(0);
            if (listRef.current) listRef.current.scrollTop = 0;
          }}
          onClick={openList}
          onFocus={(e) => e.currentTarget.select()}
          onBlur={close}
          onKeyDown={onKeyDown}
        />
        <span className="combobox__chevron" aria-hidden="true" />
        <div className="combobox__popup" hidden={!open}>
          {open && shown.length === 0 ? <p className="combobox__empty">No match for “{typed}”</p> : null}
          <div ref={listRef} id={listId} role="listbox" aria-label={label} className="combobox__list">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const option = shown[item.index]!;
                return (
                  <div
                    key={option.value}
                    id={optionId(item.index)}
                    role="option"
                    aria-selected={option.value === value}
                    className={`combobox__option ${item.index === active ? 'combobox__option--active' : ''}`}
                    style={{ transform: `translateY(${item.start}px)` }}
                    // mousedown would blur the input and close the list before the click lands.
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseMove={() => item.index !== active && setActive(item.index)}
                    onClick={() => choose(option)}
                  >
                    <span className="combobox__label">{option.label}</span>
                    {option.hint ? <span className="combobox__hint">{option.hint}</span> : null}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </div>
      {frame}
    </div>
  );
}
