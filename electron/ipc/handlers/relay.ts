import { RelayService } from '../../invite/relay-service.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `relay` area; the relay password goes to the keychain and never into the journal. */
export function relayHandlers(relay: RelayService): AreaHandlers<'relay'> {
  return {
    get: async () => ok(await relay.get()),
    set: async ([input], ctx) => {
      ctx.audit.object = RelayService.object;
      return noteChange(ctx.audit, null, RelayService.object, ok(await relay.set(input)));
    },
    // Journaled because it sends mail in the operator's name; the entry holds the recipient and the server's answer only.
    sendTest: async ([input], ctx) => {
      ctx.audit.object = RelayService.object;
      const sent = await relay.sendTest(input);
      ctx.audit.after = sent.ok ? { testSentTo: sent.value.to, response: sent.value.response } : null;
      ctx.audit.afterFailure = { testSentTo: input.to, sent: false };
      return sent;
    },
  };
}
