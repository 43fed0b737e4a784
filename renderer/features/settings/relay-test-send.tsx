import { useState, type FormEvent } from 'react';
import type { RelaySettings, RelayTestReport } from '../../../shared/domain/relay.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { relayTestInput } from '../../../shared/ipc/schemas/relay.ts';
import { api } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/field.tsx';
import { issueMap } from './issue-map.ts';

/** "Send test message": a short mail through the saved relay, with the server's answer shown as it came. */
export function RelayTestSend({ relay, unsaved }: { readonly relay: RelaySettings; readonly unsaved: boolean }) {
  const [to, setTo] = useState('');
  const [toError, setToError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true; report: RelayTestReport } | { ok: false; error: AppError } | null>(null);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    const checked = relayTestInput.safeParse({ to: to.trim() });
    if (!checked.success) {
      setToError(issueMap(checked.error)['to'] ?? 'not an email address');
      return;
    }
    setBusy(true);
    setOutcome(null);
    const result = await api.relay.sendTest({ to: to.trim() });
    setBusy(false);
    setOutcome(result.ok ? { ok: true, report: result.value } : { ok: false, error: result.error });
  };
  return (
    <form className="resolver-form" onSubmit={(e) => void send(e)} noValidate aria-label="Send a test message">
      <TextField
        label="Send a test message to"
        placeholder={relay.from}
        value={to}
        error={toError}
        onChange={(e) => (setTo(e.target.value), setToError(null))}
        hint={unsaved ? 'Save the changes above first: the test uses the saved relay.' : `Goes through ${relay.host}:${relay.port} as ${relay.from}.`}
        spellCheck={false}
      />
      <div>
        <Button type="submit" busy={busy} disabled={unsaved}>
          Send test message
        </Button>
      </div>
      <div aria-live="polite" data-testid="relay-test-result">
        {outcome === null ? null : outcome.ok ? (
          <p className="muted">
            {relay.host}:{relay.port} accepted the message for {outcome.report.accepted.join(', ') || outcome.report.to}. The server answered: <code className="mono">{outcome.report.response}</code>
            {outcome.report.messageId ? (
              <>
                {' '}Message-ID: <code className="mono">{outcome.report.messageId}</code>
              </>
            ) : null}
          </p>
        ) : (
          <ErrorMessage error={outcome.error} compact />
        )}
      </div>
    </form>
  );
}
