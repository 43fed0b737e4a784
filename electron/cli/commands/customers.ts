import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

/** `mailroom customers list|assign`: group connections (and their domains) by the MSP's clients. */
export const customersCommand: CliCommand = {
  name: 'customers',
  summary: 'group connections and their domains by customer',
  usage: `mailroom customers list [--json]
mailroom customers assign CONNECTION CUSTOMER | --none [--json]`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      parse(rest, {}, false);
      const result = await ctx.api.standards.customers();
      if (!result.ok) return emitError(ctx, result.error), ExitCode.failed;
      emit(ctx, { customers: result.value }, () =>
        result.value.length === 0 ? 'No connections yet.' : table(['CUSTOMER', 'DOMAINS', 'CONNECTIONS'], result.value.map((c) => [c.name, String(c.domains), c.connections.join(', ')])),
      );
      return ExitCode.ok;
    }
    if (sub === 'assign') {
      const { values, positionals } = parse(rest, { none: { type: 'boolean' } });
      const [connection, name] = positionals;
      if (!connection || positionals.length !== (values.none ? 1 : 2)) throw new UsageError('customers assign needs CONNECTION and CUSTOMER, or CONNECTION --none.');
      const result = await ctx.api.standards.assignCustomer(connection, values.none ? null : name!);
      if (!result.ok) {
        if (result.error.code === 'input.invalid') throw new UsageError(result.error.message);
        return emitError(ctx, result.error), ExitCode.failed;
      }
      emit(ctx, result.value, () => `${result.value.name} is now ${result.value.customer ? `under customer "${result.value.customer}"` : 'under no customer'}.`);
      return ExitCode.ok;
    }
    throw new UsageError(`Unknown subcommand "customers ${sub ?? ''}". Try: list, assign.`);
  },
};
