import type { ConnectionTestReport } from '../../../shared/domain/connection.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { formatDuration } from '../../lib/format.ts';
import type { BackendKind } from '../../../shared/domain/provisioning.ts';
import { CapabilityMatrix } from './capability-matrix.tsx';
import { PinCertificate, fingerprintOf } from './test-failure-actions.tsx';

const KIND_LABEL_BY_BACKEND: Record<BackendKind, string> = {
  'postfixadmin-sql': 'the PostfixAdmin database',
  mailcow: 'mailcow',
  stalwart: 'Stalwart',
  'google-workspace': 'Google Workspace',
  'microsoft-365': 'Microsoft 365',
  imap: 'the IMAP server',
};

/** What a connection test found: for IMAP latency, folders, TLS and capabilities; for a platform its capability matrix; or the error in plain words (with a pin offer for an untrusted certificate). */
export function ConnectionTestResult({
  name,
  result,
  onDismiss,
  onPin,
}: {
  readonly name: string;
  readonly result: Result<ConnectionTestReport>;
  readonly onDismiss: () => void;
  readonly onPin?: ((fingerprint: string) => void) | undefined;
}) {
  const hide = (
    <Button size="sm" variant="ghost" className="test-result__hide" aria-label={`Hide test result for ${name}`} onClick={onDismiss}>
      Hide
    </Button>
  );
  if (!result.ok) {
    return (
      <section className="test-result test-result--failed" aria-label={`Test result for ${name}`}>
        <ErrorMessage error={result.error} title="Test failed" />
        {onPin && fingerprintOf(result.error) ? <PinCertificate fingerprint={fingerprintOf(result.error)!} onPin={onPin} /> : null}
        {hide}
      </section>
    );
  }
  const report = result.value;
  if (report.platform) {
    const caps = report.platform;
    return (
      <section className="test-result test-result--passed" aria-label={`Test result for ${name}`}>
        <p className="test-result__summary">
          <Badge tone="success">Test passed</Badge>
          <span>
            Connected to {KIND_LABEL_BY_BACKEND[caps.kind]}
            {caps.version ? ` ${caps.version}` : ''} and probed what it can do
          </span>
          <span className="muted">in {formatDuration(report.latencyMs)}</span>
          {hide}
        </p>
        <h3 className="test-result__heading">Capabilities</h3>
        <CapabilityMatrix name={name} capabilities={caps} />
      </section>
    );
  }
  return (
    <section className="test-result test-result--passed" aria-label={`Test result for ${name}`}>
      <p className="test-result__summary">
        <Badge tone="success">Test passed</Badge>
        <span>Logged in and listed {report.folderCount} {report.folderCount === 1 ? 'folder' : 'folders'}</span>
        <span className="muted">in {formatDuration(report.latencyMs)}</span>
        {report.tls?.protocol ? <span className="muted">· {report.tls.protocol}</span> : null}
        {hide}
      </p>
      {report.tls?.fingerprint ? (
        <p className="test-result__fingerprint">
          <span className="muted">Certificate SHA-256</span>
          <code className="mono">{report.tls.fingerprint}</code>
          <CopyButton text={report.tls.fingerprint} label="Copy fingerprint" />
        </p>
      ) : null}
      <h3 className="test-result__heading">Capabilities</h3>
      <ul className="chips" aria-label={`Capabilities of ${name}`}>
        {report.capabilities.map((c) => (
          <li key={c} className="chip">
            {c}
          </li>
        ))}
      </ul>
    </section>
  );
}
