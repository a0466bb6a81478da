/**
 * Where the app secret will be kept, said before it is typed: on a PC whose system offers no encryption (secretStorage
 * `keyfile`: the preview host, Linux without a keyring) a warning and a box the manager must tick before the secret
 * is sent (the main process refuses it otherwise). Used by 设置 and by the first-start page.
 */
import { Alert, Checkbox } from 'antd';
import { KEYFILE_CONFIRM, KEYFILE_NOTICE, type SecretStorage } from '../../../shared/contract/settings.ts';

export function KeyFileConsent({
  storage,
  secretTyped,
  checked,
  onChange,
  testId,
}: {
  storage: SecretStorage | undefined;
  /** The box is asked for only once a new secret is typed. */
  secretTyped: boolean;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
}) {
  if (storage !== 'keyfile') return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid={`${testId}-notice`}
      style={{ marginTop: 8 }}
      title={KEYFILE_NOTICE}
      description={
        secretTyped ? (
          <Checkbox checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId}>
            {KEYFILE_CONFIRM}
          </Checkbox>
        ) : undefined
      }
    />
  );
}
