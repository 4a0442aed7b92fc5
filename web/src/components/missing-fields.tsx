import { useEffect, useRef } from 'react';

/**
 * What a form still needs before it can be sent, as a list (one line per field) rather than one
 * sentence naming every field whether it is filled or not. Each refused send (`attempt` + 1)
 * puts the focus on it, so that it is read out and scrolled into view; it is not a live region,
 * so filling the fields one by one does not read it out again at each keystroke.
 */
export function MissingFields({
  title,
  items,
  attempt,
}: {
  title: string;
  items: readonly string[];
  attempt: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (attempt > 0) ref.current?.focus();
  }, [attempt]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} className="notice error" tabIndex={-1} data-testid="missing-fields">
      <p>{title}</p>
      <ul>
        {items.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
