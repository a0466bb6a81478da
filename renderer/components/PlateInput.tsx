/**
 * A plate as a booth worker types it: the province picked (searchable by pinyin: "yue" finds 粤) and the rest typed,
 * or the whole plate typed with its province (粤B12345). Upper-cased as typed. The 无牌车 box is there only where
 * the form allows a car without a plate (releases; not renewals).
 */
import { Checkbox, Input, Select, Space } from 'antd';
import { PROVINCES } from '../../shared/records/plate.ts';

export interface PlateInputProps {
  province: string;
  text: string;
  onProvince(province: string): void;
  onText(text: string): void;
  /** Given: the 无牌车 box is shown and checked when true. */
  noPlate?: boolean;
  onNoPlate?(noPlate: boolean): void;
  /** The form's keyboard order name (data-nav) of the text box. */
  nav?: string;
  testId?: string;
  noPlateTestId?: string;
  id?: string;
  width?: number;
}

export function PlateInput({
  province,
  text,
  onProvince,
  onText,
  noPlate,
  onNoPlate,
  nav = 'plate',
  testId = 'plate-input',
  noPlateTestId = 'no-plate',
  id,
  width = 380,
}: PlateInputProps) {
  const none = noPlate === true;
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
      <Space.Compact style={{ width, maxWidth: '100%' }}>
        <Select
          value={province}
          onChange={onProvince}
          disabled={none}
          style={{ width: 100 }}
          aria-label="省份简称"
          showSearch={{
            filterOption: (input, o) => {
              const p = PROVINCES.find((x) => x.char === o?.value);
              const q = input.toLowerCase();
              return !!p && (p.char.includes(input) || p.pinyin.startsWith(q) || p.name.includes(input));
            },
          }}
          options={PROVINCES.map((p) => ({ value: p.char, label: `${p.char} ${p.name}` }))}
          optionLabelProp="value"
          popupMatchSelectWidth={160}
        />
        <Input
          id={id}
          data-nav={nav}
          data-testid={testId}
          aria-label="车牌号码"
          value={none ? '无牌车' : text}
          disabled={none}
          onChange={(e) => onText(e.target.value.toUpperCase())}
          placeholder="如 B12345 或 BD12345"
          maxLength={10}
          style={{ fontSize: 22, letterSpacing: 2 }}
          autoComplete="off"
        />
      </Space.Compact>
      {noPlate !== undefined ? (
        <Checkbox checked={none} onChange={(e) => onNoPlate?.(e.target.checked)} data-testid={noPlateTestId}>
          无牌车
        </Checkbox>
      ) : null}
    </div>
  );
}
