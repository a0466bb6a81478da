/**
 * An amount in yuan as a person types it (19.99, or with the input method's full-width ０-９ and 。), read into
 * integer fen exactly: 19.99 is 1999 fen, never 1998.9999. The text is the value; `yuanTextToFen`
 * (typed-values.ts) reads it.
 */
import { Input } from 'antd';
import type { CSSProperties } from 'react';
import { yuanTyping } from './typed-values.ts';

interface YuanInputProps {
  value: string;
  onChange(text: string): void;
  id?: string;
  nav?: string;
  testId?: string;
  ariaLabel?: string;
  placeholder?: string;
  disabled?: boolean;
  status?: 'error' | '';
  style?: CSSProperties;
}

export function YuanInput(props: YuanInputProps) {
  const { value, onChange, id, nav, testId, ariaLabel, placeholder, disabled, status, style } = props;
  return (
    <Input
      id={id}
      data-nav={nav}
      data-testid={testId}
      aria-label={ariaLabel}
      value={value}
      onChange={(e) => onChange(yuanTyping(e.target.value))}
      inputMode="decimal"
      autoComplete="off"
      placeholder={placeholder}
      disabled={disabled}
      status={status}
      suffix="元"
      maxLength={13}
      style={style}
    />
  );
}
