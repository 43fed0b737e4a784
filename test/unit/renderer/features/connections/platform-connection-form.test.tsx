// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AddConnectionPanel } from '../../../../../renderer/features/connections/add-connection-panel.tsx';
import type { NewConnectionRequest } from '../../../../../renderer/state/connections-store.ts';
import { ok } from '../../../../../shared/errors/result.ts';
import type { ConnectionSummary } from '../../../../../shared/domain/connection.ts';

afterEach(cleanup);

const summary = (kind: ConnectionSummary['kind']): ConnectionSummary => ({ id: 'x', name: 'n', kind, settings: {}, hasSecret: true, createdAt: '', lastTest: null });
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label, { exact: true }), { target: { value } });

describe('AddConnectionPanel', () => {
  it('switches the form with the platform, validates, submits once and clears the secret', async () => {
    const submit = vi.fn(async (r: NewConnectionRequest) => ok(summary(r.kind)));
    render(<AddConnectionPanel onSubmit={submit} />);
    expect(screen.getByRole('heading', { name: 'Add an IMAP connection' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Platform'), { target: { value: 'mailcow' } });
    expect(screen.getByRole('heading', { name: 'Add a mailcow server' })).toBeTruthy();

    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Add connection' })));
    expect(screen.getByText('Enter a name, e.g. “Acme mail”.')).toBeTruthy();
    expect(screen.getByText('Enter the API key.')).toBeTruthy();
    expect(document.activeElement?.getAttribute('name')).toBe('name');
    expect(submit).not.toHaveBeenCalled();

    type('Name', 'Mail cow');
    type('mailcow URL', 'https://mail.example.com');
    type('API key', 'KEY-123');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Add connection' })));
    expect(submit).toHaveBeenCalledWith({ kind: 'mailcow', input: { name: 'Mail cow', baseUrl: 'https://mail.example.com', apiKey: 'KEY-123' } }, { test: true });
    expect((screen.getByLabelText('API key') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Name', { exact: true }) as HTMLInputElement).value).toBe('');
  });

  it('shows the SQLite path instead of the server fields for a PostfixAdmin SQLite database', () => {
    render(<AddConnectionPanel onSubmit={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('Platform'), { target: { value: 'postfixadmin' } });
    expect(screen.getByLabelText('Host')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Database'), { target: { value: 'sqlite' } });
    expect(screen.queryByLabelText('Host')).toBeNull();
    expect(screen.getByLabelText('Database file')).toBeTruthy();
  });
});
