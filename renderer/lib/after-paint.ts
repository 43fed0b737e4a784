/**
 * Runs `work` once `frames` animation frames have passed and then the browser is idle (at most `timeoutMs` later): for
 * work a page can start after it has drawn itself, so it does not share those frames. Returns a cancel function.
 */
export function afterFramesWhenIdle(frames: number, work: () => void, timeoutMs = 1000): () => void {
  let cancel = () => undefined as void;
  const idle = () => {
    // A DOM without requestIdleCallback (jsdom, older engines) runs the work on the next task instead.
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(() => work(), { timeout: timeoutMs });
      cancel = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(work, 0);
      cancel = () => clearTimeout(id);
    }
  };
  const frame = (left: number) => {
    if (left <= 0 || typeof requestAnimationFrame !== 'function') return idle();
    const id = requestAnimationFrame(() => frame(left - 1));
    cancel = () => cancelAnimationFrame(id);
  };
  frame(frames);
  return () => cancel();
}
