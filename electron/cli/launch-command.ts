/** The command the user typed to start the served console, as npm reports it; `mailroom serve` otherwise. */
export function launchCommand(env: NodeJS.ProcessEnv): string {
  // npm sets npm_lifecycle_event to the script it runs: `npm start` → "start", `npm run mailroom -- serve` → "mailroom".
  switch (env['npm_lifecycle_event']) {
    case 'start':
      return 'npm start';
    case 'mailroom':
      return 'npm run mailroom -- serve';
    default:
      return 'mailroom serve';
  }
}
