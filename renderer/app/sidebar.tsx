import { useEffect, useState } from 'react';
import { Icon } from '../components/icons.tsx';
import { liveStatus, onLiveStatus, transport } from '../api/client.ts';
import type { LiveStatus } from '../api/live-events.ts';
import { hrefOf, routes, type RouteId } from './routes.ts';

const STATUS_TEXT: Record<LiveStatus, string> = {
  idle: 'Live updates idle',
  connecting: 'Connecting…',
  open: 'Live',
  retrying: 'Reconnecting…',
};

/** The left navigation with the brand, one link per screen and the live-update state. */
export function Sidebar({ current, onShowShortcuts }: { readonly current: RouteId; readonly onShowShortcuts: () => void }) {
  const status = useLiveStatus();
  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden="true">
          M
        </span>
        <span className="sidebar__name">Mailroom</span>
      </div>
      <nav aria-label="Main">
        <ul className="sidebar__nav">
          {routes.map((r) => (
            <li key={r.id}>
              <a className="sidebar__link" href={hrefOf(r.id)} aria-current={r.id === current ? 'page' : undefined}>
                <Icon name={r.icon} />
                <span>{r.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar__footer">
        <span className={`live-dot live-dot--${status}`} aria-hidden="true" />
        <span className="sidebar__status" role="status">
          {transport === 'electron' ? 'Desktop' : STATUS_TEXT[status]}
        </span>
        <button type="button" className="sidebar__help" onClick={onShowShortcuts} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          <Icon name="keyboard" size={16} />
        </button>
      </div>
    </aside>
  );
}

function useLiveStatus(): LiveStatus {
  const [status, setStatus] = useState(liveStatus);
  useEffect(() => onLiveStatus(setStatus), []);
  return status;
}
