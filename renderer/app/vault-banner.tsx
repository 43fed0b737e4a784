import { useCallback, useEffect, useState } from 'react';
import type { VaultStatus } from '../../shared/domain/app.ts';
import { api } from '../api/client.ts';
import { Button } from '../components/button.tsx';
import { Icon } from '../components/icons.tsx';

/** A warning across the console while secrets can be neither saved nor read, with the fix for this OS and a re-check. */
export function VaultBanner() {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const check = useCallback(async () => {
    setBusy(true);
    const info = await api.app.info();
    setBusy(false);
    if (info.ok) setStatus(info.value.vault);
  }, []);
  useEffect(() => {
    void check();
  }, [check]);
  if (!status || status.available) return null;
  return (
    <div className="vault-banner" role="alert">
      <Icon name="alert" size={18} />
      <div className="vault-banner__text">
        <p className="vault-banner__title">Passwords can be neither saved nor read</p>
        <p>{status.message}</p>
      </div>
      <Button size="sm" busy={busy} onClick={() => void check()}>
        Check again
      </Button>
    </div>
  );
}
