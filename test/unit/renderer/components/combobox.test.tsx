// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Combobox, filterOptions, type ComboOption } from '../../../../renderer/components/combobox.tsx';

const options: ComboOption[] = [
  { value: '', label: 'All domains' },
  ...['client1', 'client2', 'client10', 'client11', 'example'].map((n) => ({ value: `${n}.test`, label: `${n}.test`, hint: n === 'example' ? 'Head office' : 'Branch' })),
];

function Harness({ onChange, onOuterKey }: { readonly onChange: (v: string) => void; readonly onOuterKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <div onKeyDown={(e) => onOuterKey(e.key)}>
      <Combobox label="Domain" value={value} options={options} onChange={(v) => (setValue(v), onChange(v))} />
    </div>
  );
}

const input = () => screen.getByRole('combobox', { name: 'Domain' }) as HTMLInputElement;
const key = (k: string) => act(() => void fireEvent.keyDown(input(), { key: k }));
const activeText = () => document.getElementById(input().getAttribute('aria-activedescendant') ?? '')?.textContent;

afterEach(cleanup);

describe('Combobox', () => {
  it('filters by every typed word across label and hint', () => {
    expect(filterOptions(options, 'client1').map((o) => o.value)).toEqual(['client1.test', 'client10.test', 'client11.test']);
    expect(filterOptions(options, 'head exa').map((o) => o.value)).toEqual(['example.test']);
    expect(filterOptions(options, '  ')).toBe(options);
  });

  it('opens on ArrowDown at the chosen option, moves with the arrows, chooses with Enter', () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} onOuterKey={() => undefined} />);
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(input().value).toBe('All domains');
    key('ArrowDown');
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('listbox', { name: 'Domain' }).id).toBe(input().getAttribute('aria-controls'));
    expect(activeText()).toBe('All domains');
    key('ArrowDown');
    key('ArrowDown');
    key('ArrowUp');
    expect(activeText()).toBe('client1.testBranch');
    key('Enter');
    expect(onChange).toHaveBeenCalledWith('client1.test');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(input().value).toBe('client1.test');
    key('ArrowDown');
    expect(screen.getByRole('option', { name: /^client1\.test/ }).getAttribute('aria-selected')).toBe('true');
    expect(activeText()).toBe('client1.testBranch');
  });

  it('types to filter, the first match active, and says when nothing matches', () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} onOuterKey={() => undefined} />);
    act(() => void fireEvent.change(input(), { target: { value: 'client1' } }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['client1.testBranch', 'client10.testBranch', 'client11.testBranch']);
    expect(activeText()).toBe('client1.testBranch');
    key('ArrowDown');
    key('Enter');
    expect(onChange).toHaveBeenLastCalledWith('client10.test');
    act(() => void fireEvent.change(input(), { target: { value: 'nothing here' } }));
    expect(screen.getByText('No match for “nothing here”')).toBeTruthy();
    expect(input().getAttribute('aria-activedescendant')).toBeNull();
  });

  it('closes on Escape without choosing and without letting the key reach the dialog; a closed Escape passes through', () => {
    const onChange = vi.fn();
    const outer = vi.fn();
    render(<Harness onChange={onChange} onOuterKey={outer} />);
    act(() => void fireEvent.change(input(), { target: { value: 'exa' } }));
    key('Escape');
    expect(input().getAttribute('aria-expanded')).toBe('false');
    expect(input().value).toBe('All domains');
    expect(onChange).not.toHaveBeenCalled();
    expect(outer).not.toHaveBeenCalledWith('Escape');
    key('Escape');
    expect(outer).toHaveBeenCalledWith('Escape');
  });

  it('chooses with the mouse too', () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} onOuterKey={() => undefined} />);
    act(() => void fireEvent.click(input()));
    act(() => void fireEvent.click(screen.getByRole('option', { name: /example\.test/ })));
    expect(onChange).toHaveBeenCalledWith('example.test');
  });
});
