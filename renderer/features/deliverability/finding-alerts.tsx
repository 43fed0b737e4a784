import { useEffect, useState } from 'react';
import { SEVERITY_ORDER, type FindingsChanged } from '../../../shared/domain/dns.ts';
import { api, transport } from '../../api/client.ts';
import { Button } from '../../components/button.tsx';
import { notify } from '../../state/toast-store.ts';
import { useDeliverability } from './deliverability-store.ts';

function permission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** One line saying what got worse, worst change first. */
export function describeChange(changed: FindingsChanged): { title: string; body: string } {
  const worst = [...changed.changes].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))[0];
  const more = changed.changes.length > 1 ? ` (+${changed.changes.length - 1} more)` : '';
  return { title: `${changed.domain}: deliverability got worse`, body: worst ? `${worst.severity}: ${worst.message}${more}` : `Health score ${changed.score}` };
}

/**
 * Alerts while the console is open: a toast always, and in a browser tab a Web Notification when permitted.
 *
 * In Electron the main process raises the OS notification itself, so the renderer does not repeat it.
 */
export function useFindingAlerts(): void {
  useEffect(
    () =>
      api.on('dns.findingsChanged', (changed) => {
        const { title, body } = describeChange(changed);
        notify({ tone: 'danger', title, body });
        if (transport === 'loopback' && permission() === 'granted') {
          const n = new Notification(title, { body, tag: `mailroom-dns-${changed.domain}` });
          n.onclick = () => {
            window.focus();
            location.hash = '#/deliverability';
            void useDeliverability.getState().select(changed.domain);
          };
        }
        void useDeliverability.getState().load();
      }),
    [],
  );
}

/** Asks for desktop-notification permission in a browser tab; Electron needs none. */
export function AlertsToggle() {
  const [state, setState] = useState(permission);
  if (transport !== 'loopback' || state === 'unsupported') return null;
  if (state === 'granted') return <span className="muted dlv-alerts">Desktop alerts on</span>;
  if (state === 'denied') return <span className="muted dlv-alerts">Desktop alerts blocked by the browser</span>;
  return (
    <Button size="sm" variant="ghost" className="dlv-alerts" onClick={() => void Notification.requestPermission().then(setState)}>
      Enable desktop alerts
    </Button>
  );
}
