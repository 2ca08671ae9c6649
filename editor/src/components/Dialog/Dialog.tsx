import type { FormEvent, ReactNode } from 'react';
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

/** Renders a modal form with a heading, its fields, and the submit and close buttons. */
export function Dialog({
  heading,
  submitLabel,
  submitDisabled,
  onSubmit,
  onClose,
  children,
}: Props) {
  const t = useT();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog" onSubmit={submit} aria-label={heading}>
        <h2>{heading}</h2>
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
