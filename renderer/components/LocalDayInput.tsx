/**
 * A calendar day of the car park (YYYY-MM-DD), typed: 2026-12-01, 2026/12/1, 20261201 or 12-01 (this year in the
 * car park's zone, never the PC's). The box keeps what was typed; leaving it writes the day in full, and the line
 * under it says how it is read (即 2026-12-01 周二, 今天).
 */
import { Input } from 'antd';
import { DAY_HINT, describeDay, parseDayText } from './typed-values.ts';

interface LocalDayInputProps {
  value: string;
  onChange(text: string): void;
  zone: string;
  id?: string;
  nav?: string;
  testId?: string;
  ariaLabel?: string;
  placeholder?: string;
  disabled?: boolean;
  status?: 'error' | '';
}

export function LocalDayInput(props: LocalDayInputProps) {
  const { value, onChange, zone, id, nav, testId, ariaLabel, placeholder, disabled, status } = props;
  return (
    <Input
      id={id}
      data-nav={nav}
      data-testid={testId}
      aria-label={ariaLabel}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={() => {
        const day = parseDayText(value, zone);
        if (day !== null && day !== value) onChange(day);
      }}
      placeholder={placeholder ?? 'YYYY-MM-DD'}
      disabled={disabled}
      status={status}
      autoComplete="off"
      maxLength={12}
      className="mono"
    />
  );
}

/** The line under a day box: how the text is read, or the format when it cannot be. */
export function DayReadAs({ text, zone }: { text: string; zone: string }) {
  if (text.trim() === '') return null;
  const day = parseDayText(text, zone);
  if (day === null) return <span style={{ color: '#595959' }}>{DAY_HINT}</span>;
  return (
    <span style={{ color: '#595959' }}>
      {day === text.trim() ? '' : `即 ${day} `}
      {describeDay(day, zone)}
    </span>
  );
}
