import type { Capabilities, SupportLevel } from '../../../shared/domain/provisioning.ts';
import { capabilityCounts, capabilityRows } from './connection-info.ts';
import './connections.css';

const LEVEL_LABEL: Record<SupportLevel, string> = { native: 'Native', emulated: 'Emulated', 'needs-sidecar': 'Needs sidecar', unsupported: 'Unsupported' };

/** What a platform can do through Mailroom, operation by operation, with the cmdlet or the manual path where it cannot. */
export function CapabilityMatrix({ name, capabilities }: { readonly name: string; readonly capabilities: Capabilities }) {
  const rows = capabilityRows(capabilities);
  const counts = capabilityCounts(rows);
  return (
    <div className="caps">
      <p className="caps__summary">
        {(Object.keys(LEVEL_LABEL) as SupportLevel[]).filter((l) => counts[l] > 0).map((l) => (
          <span key={l} className={`caps__level caps__level--${l}`}>
            {counts[l]} {LEVEL_LABEL[l].toLowerCase()}
          </span>
        ))}
      </p>
      <table className="caps__table" aria-label={`Capability matrix of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Area</th>
            <th scope="col">Operation</th>
            <th scope="col">Support</th>
            <th scope="col">How, or where instead</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.area}/${r.operation}`} data-level={r.support.level}>
              <th scope="row" className="caps__area">{i === 0 || rows[i - 1]!.area !== r.area ? r.area : ''}</th>
              <td>{r.operation}</td>
              <td>
                <span className={`caps__level caps__level--${r.support.level}`}>{LEVEL_LABEL[r.support.level]}</span>
              </td>
              <td className="caps__how">{r.support.manual ? <code className="caps__manual">{r.support.manual}</code> : (r.support.how ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
