import type { Logger } from './logger.ts';

/** Port to the desktop's notifications; the Electron shell implements it, headless runs log instead. */
export interface OsNotifier {
  /** 'desktop' when notifications reach a person at this machine; 'log-only' otherwise. */
  readonly kind: 'desktop' | 'log-only';
  /** Shows (or logs) one notification; false when the desktop refused it. */
  show(title: string, body: string): boolean;
}

/** The notifier of `mailroom serve` and `mailroom monitor`: no desktop session, so the notification goes to the log, said plainly. */
export function logOnlyNotifier(logger: Logger): OsNotifier {
  return {
    kind: 'log-only',
    show(title, body) {
      logger.info('OS notification not shown: no desktop session here (mailroom serve or monitor); logged only', { title, body });
      return true;
    },
  };
}
