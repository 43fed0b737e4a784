/** The command that started the served console, asked of the loopback host without a session key; null when it does not say. */
export async function fetchLaunchCommand(): Promise<string | null> {
  try {
    const response = await fetch('/launch.json', { cache: 'no-store' });
    const body = (await response.json()) as { command?: unknown };
    return typeof body.command === 'string' && body.command.trim() ? body.command : null;
  } catch {
    return null;
  }
}
