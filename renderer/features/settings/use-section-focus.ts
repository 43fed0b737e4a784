import { useEffect } from 'react';

/** Brings the card a link names into view and focus: `#/settings/prices` → the element `settings-prices`. */
export function useSectionFocus(): void {
  useEffect(() => {
    const go = () => {
      const section = /^#\/settings\/([a-z-]+)/.exec(window.location.hash)?.[1];
      const card = section ? document.getElementById(`settings-${section}`) : null;
      if (!card) return;
      card.scrollIntoView({ block: 'start' });
      card.focus({ preventScroll: true });
    };
    go();
    window.addEventListener('hashchange', go);
    return () => window.removeEventListener('hashchange', go);
  }, []);
}
