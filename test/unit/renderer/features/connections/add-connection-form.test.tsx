// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionSummary, NewImapConnection } from '../../../../../shared/domain/connection.ts';
import { err, ok, type Result } from '../../../../../shared/errors/result.ts';
import { AddConnectionForm } from '../../../../../renderer/features/connections/add-connection-form.tsx';

afterEach(cleanup);

const field = (label: string) => screen.getByLabelText(label, { exact: true }) as HTMLInputElement;
const type = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
const submit = () => act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Add connection' })));

function renderForm(answer: (input: NewImapConnection) => Result<ConnectionSummary>) {
  const submitted: NewImapConnection[] = [];
  render(<AddConnectionForm onSubmit={async (input) => (submitted.push(input), answer(input))} />);
  return submitted;
}

const summary = { id: '1', name: 'Acme', kind: 'imap', settings: {}, hasSecret: true, createdAt: '', lastTest: null } as const;

describe('AddConnectionForm', () => {
  it('explains every missing field, marks it invalid and focuses the first one', async () => {
    const submitted = renderForm(() => ok(summary));
    await submit();
    expect(submitted).toEqual([]);
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(expect.arrayContaining([expect.stringContaining('Enter a name'), expect.stringContaining('Enter the password')]));
    expect(field('Name').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('Name'));
  });

  it('follows the TLS mode with the standard port until the user types one', () => {
    renderForm(() => ok(summary));
    expect(field('Port').value).toBe('993');
    fireEvent.change(screen.getByLabelText('TLS mode'), { target: { value: 'starttls' } });
    expect(field('Port').value).toBe('143');
    type('Port', '1143');
    fireEvent.change(screen.getByLabelText('TLS mode'), { target: { value: 'implicit' } });
    expect(field('Port').value).toBe('1143');
  });

  it('submits the typed values, then clears the whole form', async () => {
    const submitted = renderForm(() => ok(summary));
    type('Name', 'Acme');
    type('Host', 'imap.acme.test');
    type('User name', 'admin@acme.test');
    type('Password', 's3cret');
    await submit();
    expect(submitted).toEqual([{ name: 'Acme', host: 'imap.acme.test', port: 993, tls: 'implicit', user: 'admin@acme.test', password: 's3cret' }]);
    expect(field('Password').value).toBe('');
    expect(field('Name').value).toBe('');
  });

  it('keeps the other fields but clears the password when the add fails', async () => {
    renderForm(() => err('conflict', 'exists'));
    type('Name', 'Acme');
    type('Host', 'imap.acme.test');
    type('User name', 'admin@acme.test');
    type('Password', 's3cret');
    await submit();
    expect(field('Password').value).toBe('');
    expect(field('Name').value).toBe('Acme');
    expect(screen.getByRole('alert').textContent).toContain('already exists');
  });
});
