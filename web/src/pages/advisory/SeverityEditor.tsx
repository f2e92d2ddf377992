import { useRef, useState } from 'react';
import type { MessageAt } from './AffectedEditor.js';
import { CvssCalculator } from './CvssCalculator.js';

interface SeverityEditorProps {
  value: { vector: string }[];
  onChange: (cvss: { vector: string }[]) => void;
  message: MessageAt;
  disabled: boolean;
}

/**
 * The advisory's CVSS vectors (one per version), each edited with the calculator. The calculators
 * keep their own state, so each row has a stable key of its own; the page remounts this editor
 * when it replaces the document (after a reload).
 */
export function SeverityEditor({ value, onChange, message, disabled }: SeverityEditorProps) {
  const next = useRef(value.length);
  const [keys, setKeys] = useState(() => value.map((_, i) => i));

  function add() {
    setKeys((k) => [...k, next.current++]);
    const hasV31 = value.some((v) => v.vector.startsWith('CVSS:3.1/'));
    onChange([...value, { vector: hasV31 ? 'CVSS:4.0' : 'CVSS:3.1' }]);
  }

  function remove(i: number) {
    setKeys((k) => k.filter((_, x) => x !== i));
    onChange(value.filter((_, x) => x !== i));
  }

  return (
    <>
      {value.length === 0 ? <p className="hint">No CVSS vector yet.</p> : null}
      {value.map((v, i) => (
        <div key={keys[i] ?? `extra-${i}`}>
          <CvssCalculator
            label={`CVSS vector ${i + 1}`}
            initial={v.vector}
            disabled={disabled}
            error={message(`severity.cvss.${i}`, 'The vector')}
            onChange={(vector) => onChange(value.map((x, k) => (k === i ? { vector } : x)))}
          />
          <div className="actions">
            <button
              type="button"
              className="button-small button-quiet"
              disabled={disabled}
              onClick={() => remove(i)}
            >
              Remove CVSS vector {i + 1}
            </button>
          </div>
        </div>
      ))}
      {value.length < 2 ? (
        <div className="actions">
          <button type="button" disabled={disabled} onClick={add}>
            Add a CVSS vector
          </button>
        </div>
      ) : null}
    </>
  );
}
