/**
 * 首次设置: the person installing the console sets the manager PIN, says who they are, the station id and where records
 * go, in one step. Until it is done the booth screens are not shown (the main process refuses their methods too).
 * Where the system offers no encryption for the secret, the page says so and a box must be ticked before it is sent.
 */
import { Alert, Button, Card, Form, Input, Radio, Typography } from 'antd';
import { useState } from 'react';
import type { SetupInput } from '../../../shared/contract/api.ts';
import {
  KEYFILE_UNCONFIRMED,
  PLATFORM_KIND_LABELS,
  PLATFORM_KINDS,
  type PlatformKind,
} from '../../../shared/contract/settings.ts';
import { api } from '../../binding.ts';
import { KeyFileConsent } from '../settings/KeyFileConsent.tsx';
import { useConsole } from '../../stores/console.ts';
import { useNav } from '../../stores/nav.ts';

const PLATFORM_HELP: Record<PlatformKind, string> = {
  sandbox: '练习模式: 记录只送到控制台内置的沙箱, 不会上传到 P云。以后可在设置中改。',
  integration: 'P云 厂商联调环境: 需要厂商给的 park_uuid 和密钥。',
  production: 'P云 正式环境: 需要厂商给的 park_uuid 和密钥。',
  custom: '自定义地址: 例如厂商指定的代理。需要 park_uuid 和密钥。',
};

type Errors = Partial<Record<string, string>>;

export function SetupScreen() {
  const settings = useConsole((s) => s.settings);
  const setSession = useConsole((s) => s.setSession);
  const refresh = useConsole((s) => s.refresh);
  const go = useNav((s) => s.go);
  const [form, setForm] = useState({
    name: '',
    pin: '',
    pinAgain: '',
    stationId: settings?.stationId ?? 'ST01',
    platform: 'sandbox' as PlatformKind,
    customBaseUrl: '',
    parkUuid: '',
    appSecret: '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const [keepInKeyFile, setKeepInKeyFile] = useState(false);
  const [busy, setBusy] = useState(false);
  const keyFile = settings?.secretStorage === 'keyfile';
  const set = (k: keyof typeof form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const needsCredentials = form.platform !== 'sandbox';

  const submit = async () => {
    if (form.pin !== form.pinAgain) {
      setErrors({ pinAgain: '两次输入的密码不一致' });
      return;
    }
    const sendsSecret = needsCredentials && form.appSecret !== '';
    if (sendsSecret && keyFile && !keepInKeyFile) {
      setErrors({ appSecret: KEYFILE_UNCONFIRMED });
      return;
    }
    const input: SetupInput = {
      pin: form.pin,
      name: form.name,
      stationId: form.stationId,
      platform: form.platform,
      mode: form.platform === 'production' ? 'production' : 'integration',
      ...(needsCredentials ? { parkUuid: form.parkUuid } : {}),
      ...(sendsSecret ? { appSecret: form.appSecret } : {}),
      ...(sendsSecret && keyFile ? { keepSecretInKeyFile: true } : {}),
      ...(form.platform === 'custom' ? { customBaseUrl: form.customBaseUrl } : {}),
    };
    setBusy(true);
    const r = await api.completeSetup(input);
    setBusy(false);
    if (r.ok) {
      setErrors({});
      setSession(r.value);
      await refresh();
      go('shift');
      return;
    }
    const next: Errors = {};
    for (const i of r.error.issues ?? []) next[i.field] ??= i.message;
    if (Object.keys(next).length === 0) next.form = r.error.message;
    setErrors(next);
  };

  const item = (key: string, label: string, control: React.ReactNode, help?: string) => (
    <Form.Item
      label={label}
      htmlFor={`setup-${key}`}
      validateStatus={errors[key] ? 'error' : ''}
      help={errors[key] ?? help}
    >
      {control}
    </Form.Item>
  );

  // Digits only; no show-password eye, which would be a Tab stop between the two PIN fields.
  const pinInput = (key: 'pin' | 'pinAgain', testId: string) => (
    <Input.Password
      id={`setup-${key}`}
      data-testid={testId}
      visibilityToggle={false}
      value={form[key]}
      onChange={(e) => set(key, e.target.value.replace(/\D/g, '').slice(0, 8))}
      inputMode="numeric"
      autoComplete="off"
    />
  );

  return (
    <div className="setup-screen" data-testid="setup-screen">
      <Card style={{ maxWidth: 640, margin: '24px auto' }}>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          首次设置
        </Typography.Title>
        <Alert
          type="warning"
          showIcon
          title="控制台尚未完成首次设置"
          description="请安装人员设置管理密码、岗亭编号和上传平台。完成前不能交班和登记放行。"
          style={{ marginBottom: 16 }}
        />
        {errors.form ? <Alert type="error" showIcon title={errors.form} style={{ marginBottom: 16 }} /> : null}
        <Form layout="vertical" onFinish={submit}>
          {item(
            'name',
            '安装人员 / 管理员姓名',
            <Input
              id="setup-name"
              data-testid="setup-name"
              value={form.name}
              onChange={(e) => set('name', e.target.value)}
              maxLength={32}
              autoFocus
            />,
          )}
          {item('pin', '管理密码 (4 到 8 位数字)', pinInput('pin', 'setup-pin'))}
          {item('pinAgain', '再次输入管理密码', pinInput('pinAgain', 'setup-pin-again'))}
          {item(
            'stationId',
            '岗亭编号',
            <Input
              id="setup-stationId"
              data-testid="setup-station"
              value={form.stationId}
              onChange={(e) => set('stationId', e.target.value)}
              maxLength={8}
              style={{ maxWidth: 200 }}
            />,
            '1 到 8 位字母或数字, 例如 ST01 (写在每条记录的编号里, 便于分辨岗亭)',
          )}
          {item(
            'platform',
            '上传到',
            <Radio.Group
              id="setup-platform"
              data-testid="setup-platform"
              value={form.platform}
              onChange={(e) => set('platform', e.target.value as PlatformKind)}
              optionType="button"
              options={PLATFORM_KINDS.map((k) => ({ value: k, label: PLATFORM_KIND_LABELS[k] }))}
            />,
            PLATFORM_HELP[form.platform],
          )}
          {form.platform === 'custom'
            ? item(
                'customBaseUrl',
                '平台地址',
                <Input
                  id="setup-customBaseUrl"
                  value={form.customBaseUrl}
                  onChange={(e) => set('customBaseUrl', e.target.value)}
                  placeholder="https://"
                />,
              )
            : null}
          {needsCredentials
            ? item(
                'parkUuid',
                'park_uuid (车场编号, 厂商提供)',
                <Input
                  id="setup-parkUuid"
                  data-testid="setup-park"
                  value={form.parkUuid}
                  onChange={(e) => set('parkUuid', e.target.value)}
                />,
              )
            : null}
          {needsCredentials
            ? item(
                'appSecret',
                '密钥 (app_secret, 厂商提供)',
                <Input.Password
                  id="setup-appSecret"
                  data-testid="setup-secret"
                  value={form.appSecret}
                  onChange={(e) => set('appSecret', e.target.value)}
                  autoComplete="off"
                />,
                '只保存在本机 (加密), 任何界面都不会显示',
              )
            : null}
          {needsCredentials ? (
            <div style={{ marginTop: -8, marginBottom: 16 }}>
              <KeyFileConsent
                storage={settings?.secretStorage}
                secretTyped={form.appSecret !== ''}
                checked={keepInKeyFile}
                onChange={(v) => {
                  setKeepInKeyFile(v);
                  setErrors((e) => ({ ...e, appSecret: undefined }));
                }}
                testId="setup-keyfile-consent"
              />
            </div>
          ) : null}
          <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="setup-submit">
            完成首次设置
          </Button>
        </Form>
      </Card>
    </div>
  );
}
