/**
 * Moving the focus to a form's field by its `data-nav` name (the booth's forms go field to field with Enter, and to the
 * first bad field on an error): the input itself, the checked choice of a radio group, or its first control; a text
 * is selected so that typing replaces it.
 */
export function focusNavField(container: HTMLElement | null, name: string): void {
  const el = container?.querySelector<HTMLElement>(`[data-nav="${name}"]`);
  if (!el) return;
  const target = el.matches('input, textarea')
    ? el
    : (el.querySelector<HTMLElement>('input:checked') ?? el.querySelector<HTMLElement>('input, textarea, button'));
  target?.focus();
  if (target instanceof HTMLInputElement && target.type === 'text') target.select();
}
