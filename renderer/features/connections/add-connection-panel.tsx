import { useState } from 'react';
import type { AddConnectionOptions, ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { SelectField } from '../../components/field.tsx';
import type { NewConnectionRequest } from '../../state/connections-store.ts';
import { AddConnectionForm } from './add-connection-form.tsx';
import { PlatformConnectionForm } from './platform-connection-form.tsx';
import { KIND_OPTIONS, PLATFORM_FORMS, type PlatformKind } from './platform-form-models.ts';

/** The add card: a platform selector and that platform's form. */
export function AddConnectionPanel({ onSubmit }: { readonly onSubmit: (request: NewConnectionRequest, options: AddConnectionOptions) => Promise<Result<ConnectionSummary>> }) {
  const [kind, setKind] = useState<'imap' | PlatformKind>('imap');
  const picker = (
    <SelectField className="kind-picker" name="kind" label="Platform" value={kind} options={KIND_OPTIONS} onChange={(e) => setKind(e.target.value as 'imap' | PlatformKind)} />
  );
  // Each platform's form mounts fresh (key): nothing typed for one platform, least of all a secret, carries over.
  switch (kind) {
    case 'imap':
      return <AddConnectionForm key={kind} picker={picker} onSubmit={(input, options) => onSubmit({ kind, input }, options)} />;
    case 'postfixadmin':
      return <PlatformConnectionForm key={kind} picker={picker} form={PLATFORM_FORMS.postfixadmin} onSubmit={(input, options) => onSubmit({ kind, input }, options)} />;
    case 'mailcow':
      return <PlatformConnectionForm key={kind} picker={picker} form={PLATFORM_FORMS.mailcow} onSubmit={(input, options) => onSubmit({ kind, input }, options)} />;
    case 'stalwart':
      return <PlatformConnectionForm key={kind} picker={picker} form={PLATFORM_FORMS.stalwart} onSubmit={(input, options) => onSubmit({ kind, input }, options)} />;
    case 'google':
      return <PlatformConnectionForm key={kind} picker={picker} form={PLATFORM_FORMS.google} onSubmit={(input, options) => onSubmit({ kind, input }, options)} />;
    case 'microsoft':
      return <PlatformConnectionForm key={kind} picker={picker} form={PLATFORM_FORMS.microsoft} onSubmit={(input, options) => onSubmit({ kind, input }, options)} />;
  }
}
