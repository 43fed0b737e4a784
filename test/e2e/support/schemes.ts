import type { Page } from 'playwright-core';

/** The two colour schemes every end-to-end test of the console runs in. */
export const SCHEMES = ['light', 'dark'] as const;

/** One of SCHEMES. */
export type Scheme = (typeof SCHEMES)[number];

/** The relative luminance (0 black … 1 white) of a computed `rgb()`/`rgba()` colour. */
export function luminance(colour: string): number {
  const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Puts the page in `scheme` and waits until the console has drawn it: the page's background dark in dark, light in
 * light. Fails (with the colour) when the theme does not follow, so a "dark" run is never the light page twice.
 */
export async function showScheme(page: Page, scheme: Scheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const deadline = Date.now() + 5000;
  let seen = await background();
  // Colours ease over a short transition: poll until the background has settled on the scheme's side.
  while ((scheme === 'dark' ? luminance(seen) > 0.2 : luminance(seen) < 0.6) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    seen = await background();
  }
  if (scheme === 'dark' ? luminance(seen) > 0.2 : luminance(seen) < 0.6) throw new Error(`the console did not draw the ${scheme} scheme: its background is ${seen}`);
}
