/** A form's submit button (saying "Saving…" while busy) and its Cancel, side by side. */
export function FormActions({
  busy,
  label,
  tone = 'primary',
  onCancel,
}: {
  busy: boolean;
  label: string;
  /** `danger` for what ends or overrides something; `plain` for the default look. */
  tone?: 'primary' | 'danger' | 'plain';
  onCancel: () => void;
}) {
  const className = tone === 'plain' ? undefined : `button-${tone}`;
  return (
    <div className="actions">
      <button type="submit" className={className} disabled={busy}>
        {busy ? 'Saving…' : label}
      </button>
      <button type="button" className="button-quiet" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}
