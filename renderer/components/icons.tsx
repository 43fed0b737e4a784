/** Names of the built-in line icons. */
export type IconName =
  | 'overview' | 'domains' | 'mailboxes' | 'deliverability' | 'reports' | 'migrations' | 'activity' | 'connections' | 'settings'
  | 'plus' | 'search' | 'check' | 'alert' | 'keyboard' | 'download' | 'shield' | 'plug'
  | 'play' | 'pause' | 'stop' | 'refresh' | 'upload' | 'arrow-right' | 'arrow-left';

// 24×24 stroke paths in the style of Lucide/Feather (MIT); drawn inline so the CSP needs no img or font source.
const PATHS: Record<IconName, readonly string[]> = {
  overview: ['M3 13h8V3H3z', 'M13 21h8V11h-8z', 'M13 3v6h8V3z', 'M3 21h8v-6H3z'],
  domains: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20', 'M2 12h20', 'M12 2a15 15 0 0 1 0 20a15 15 0 0 1 0-20'],
  mailboxes: ['M4 4h16v16H4z', 'M4 6l8 7l8-7'],
  deliverability: ['M22 2L11 13', 'M22 2l-7 20l-4-9l-9-4z'],
  reports: ['M3 3v18h18', 'M7 15l4-4l3 3l5-6'],
  migrations: ['M17 1l4 4l-4 4', 'M3 11V9a4 4 0 0 1 4-4h14', 'M7 23l-4-4l4-4', 'M21 13v2a4 4 0 0 1-4 4H3'],
  activity: ['M22 12h-4l-3 9L9 3l-3 9H2'],
  connections: ['M9 2v6', 'M15 2v6', 'M6 8h12v4a6 6 0 0 1-12 0z', 'M12 18v4'],
  settings: ['M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6', 'M4 12h2', 'M18 12h2', 'M12 4v2', 'M12 18v2', 'M6.3 6.3l1.4 1.4', 'M16.3 16.3l1.4 1.4', 'M6.3 17.7l1.4-1.4', 'M16.3 7.7l1.4-1.4'],
  plus: ['M12 5v14', 'M5 12h14'],
  search: ['M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14', 'M21 21l-4.3-4.3'],
  check: ['M20 6L9 17l-5-5'],
  alert: ['M12 2L2 20h20z', 'M12 9v5', 'M12 17h.01'],
  keyboard: ['M2 6h20v12H2z', 'M6 10h.01', 'M10 10h.01', 'M14 10h.01', 'M18 10h.01', 'M7 14h10'],
  download: ['M12 3v12', 'M7 10l5 5l5-5', 'M4 21h16'],
  shield: ['M12 2l8 4v6c0 5-3.5 9-8 10c-4.5-1-8-5-8-10V6z', 'M9 12l2 2l4-4'],
  plug: ['M9 2v6', 'M15 2v6', 'M6 8h12v4a6 6 0 0 1-12 0z', 'M12 18v4'],
  play: ['M6 4l14 8l-14 8z'],
  pause: ['M7 4h3v16H7z', 'M14 4h3v16h-3z'],
  stop: ['M5 5h14v14H5z'],
  refresh: ['M21 12a9 9 0 1 1-2.6-6.4', 'M21 3v6h-6'],
  upload: ['M12 21V9', 'M7 14l5-5l5 5', 'M4 3h16'],
  'arrow-right': ['M5 12h14', 'M13 6l6 6l-6 6'],
  'arrow-left': ['M19 12H5', 'M11 6l-6 6l6 6'],
};

/** A decorative line icon; hidden from assistive technology. */
export function Icon({ name, size = 18 }: { readonly name: IconName; readonly size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
