import { useState } from 'react';
import type { AppError } from '../../../shared/errors/result.ts';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import './connections.css';

/** The certificate fingerprint a failed test found (imap.tls), if any. */
export function fingerprintOf(error: AppError): string | null {
  const detail = error.detail as { fingerprint?: unknown } | undefined;
  return typeof detail?.fingerprint === 'string' ? detail.fingerprint : null;
}

/** True when an add was refused because its test failed (nothing saved). */
export function notSaved(error: AppError): boolean {
  return (error.detail as { notSaved?: unknown } | undefined)?.notSaved === true;
}

/** The certificate's SHA-256 fingerprint with a "Pin this certificate" button that asks first. */
export function PinCertificate({ fingerprint, onPin, busy = false }: { readonly fingerprint: string; readonly onPin: (fingerprint: string) => void; readonly busy?: boolean }) {
  const [asking, setAsking] = useState(false);
  return (
    <div className="pin-certificate">
      <p className="test-result__fingerprint">
        <span className="muted">Certificate SHA-256</span>
        <code className="mono fingerprint">{fingerprint}</code>
        <CopyButton text={fingerprint} label="Copy fingerprint" />
      </p>
      <Button size="sm" busy={busy} onClick={() => setAsking(true)}>
        Pin this certificate
      </Button>
      {asking ? (
        <ConfirmDialog
          title="Pin this certificate?"
          confirmLabel="Pin and test"
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            onPin(fingerprint);
          }}
        >
          <p>Mailroom will trust exactly this certificate for this connection, although no certificate authority vouches for it:</p>
          <p>
            <code className="mono fingerprint">{fingerprint}</code>
          </p>
          <p>Pin it only if it matches the fingerprint the server&apos;s administrator gives you; otherwise someone may be intercepting the connection.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Why adding failed its test, with the ways on: pin the certificate (for a TLS failure) or save without a test. */
export function AddTestFailure({ error, busy, onSaveUntested, onPin }: { readonly error: AppError; readonly busy: boolean; readonly onSaveUntested: () => void; readonly onPin?: (fingerprint: string) => void }) {
  const fingerprint = fingerprintOf(error);
  return (
    <div className="add-test-failure" aria-label="Connection test failed">
      <ErrorMessage error={error} title="The test failed, so nothing was saved." compact />
      {fingerprint && onPin ? <PinCertificate fingerprint={fingerprint} onPin={onPin} busy={busy} /> : null}
      <div className="form__actions">
        <Button size="sm" variant="ghost" busy={busy} onClick={onSaveUntested}>
          Save without testing
        </Button>
      </div>
    </div>
  );
}
