/** Text whose `backticked` parts are commands or names: shown as code, never with literal backticks. */
export function RichText({ text }: { readonly text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i} className="rich-code">{part}</code> : part))}</>;
}
