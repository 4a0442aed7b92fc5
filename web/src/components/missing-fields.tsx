/**
 * What a form still needs before it can be sent, as a list (one line per field) rather than one
 * sentence naming every field whether it is filled or not.
 */
export function MissingFields({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="notice error" role="alert" data-testid="missing-fields">
      <p>{title}</p>
      <ul>
        {items.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}
