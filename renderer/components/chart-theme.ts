// uPlot draws on a canvas, which cannot read CSS variables: resolve them (light-dark() included) through a probe element.
/** The computed colour of a CSS colour or variable, e.g. "var(--accent)". */
export function resolveColor(css: string): string {
  const probe = document.createElement('span');
  probe.style.color = css;
  document.body.append(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  return value;
}

/** Calls `redraw` whenever the theme flips (system scheme or the data-theme override); returns the unsubscribe. */
export function onThemeChange(redraw: () => void): () => void {
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', redraw);
  const themeObserver = new MutationObserver(redraw);
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    scheme.removeEventListener('change', redraw);
    themeObserver.disconnect();
  };
}
