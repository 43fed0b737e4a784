/** An indeterminate activity indicator; give it a label when it stands alone. */
export function Spinner({ size = 'md', label }: { readonly size?: 'sm' | 'md'; readonly label?: string }) {
  return (
    <span className={`spinner spinner--${size}`} role={label ? 'status' : undefined} aria-label={label} aria-hidden={label ? undefined : true} />
  );
}
