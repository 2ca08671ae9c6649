import {
  useEffect,
  useId,
  useRef,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useT } from '../../hooks/useT.js';

type Props = {
  heading: string;
  submitLabel: string;
  /** Disables the submit button, e.g. while the form contains invalid values. */
  submitDisabled?: boolean;
  onSubmit(): void;
  onClose(): void;
  children: ReactNode;
};

/**
 * Renders a modal form with a heading, its fields, and the submit and close buttons. The first
 * field takes the focus when it opens, and Escape closes it. Screen readers announce it as a
 * modal dialog named by its heading.
 */
export function Dialog({
  heading,
  submitLabel,
  submitDisabled,
  onSubmit,
  onClose,
  children,
}: Props) {
  const t = useT();
  const form = useRef<HTMLFormElement>(null);
  const headingId = useId();
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-labelledby={headingId}>
      <form
        ref={form}
        className="dialog"
        onSubmit={submit}
        onKeyDown={closeOnEscape}
        aria-label={heading}
      >
        <h2 id={headingId}>{heading}</h2>
        {children}
        <div className="dialog-buttons">
          <button type="submit" disabled={submitDisabled}>
            {submitLabel}
          </button>
          <button type="button" onClick={onClose}>
            {t('dialog.close')}
          </button>
        </div>
      </form>
    </div>
  );
}
