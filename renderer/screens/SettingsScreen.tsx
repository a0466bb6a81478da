/**
 * 设置 (manager): where and as whom records go, pacing, time zone, the reasons list, retention, the
 * PIN. The app secret is write-only: after saving, this screen only knows that one is set. Each platform
 * keeps its own park, app_id, api_type and secret: choosing a platform shows (and saves) its own. Where the system
 * offers no encryption for the secret, the screen says so and the manager ticks a box before a new one is sent.
 * Also: start at login (the desktop program), and the console's own log files (open the folder, export them).
 */
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import { cloneElement, isValidElement, type ReactNode, useEffect, useState } from 'react';
import {
  CREDENTIAL_KEYS,
  KEYFILE_UNCONFIRMED,
  PLATFORM_KIND_LABELS,
  PLATFORM_KINDS,
  type PublicSettings,
  SECRET_STORAGE_LABELS,
  type Settings,
  type SettingsUpdate,
} from '../../shared/contract/settings.ts';
import { PLATFORM_HOSTS } from '../../shared/platform/endpoints.ts';
import { api, binding } from '../binding.ts';
import { ManagerGate } from '../components/ManagerGate.tsx';
import { KeyFileConsent } from '../features/settings/KeyFileConsent.tsx';
import { useConsole } from '../stores/console.ts';
import type { ImagesFolder } from '../../shared/contract/exit.ts';

const ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei'];

type Errors = Partial<Record<keyof Settings | 'appSecret' | 'managerPin', string>>;

function pick(s: PublicSettings): Settings {
  const { secretSet: _s, managerPinSet: _p, platforms: _k, secretStorage: _t, ...rest } = s;
  return rest;
}

function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes === 0 ? 0 : 1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** 离场补推's copied photos: where they are and how much room they take. */
function ImagesFolderLine() {
  const [folder, setFolder] = useState<ImagesFolder | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api.imagesFolder().then((r) => {
      if (r.ok) setFolder(r.value);
      else setProblem(r.error.message);
    });
  }, []);
  return (
    <Form.Item label="离场图片文件夹" extra="补推离场时选择的图片复制在这里, 随记录一同保留">
      <span data-testid="settings-images-folder">
        {folder ? (
          <>
            <b>{folder.files}</b> 张, 共 <b>{megabytes(folder.bytes)}</b> ·{' '}
            <span className="mono" style={{ wordBreak: 'break-all' }}>
              {folder.path}
            </span>
          </>
        ) : problem ? (
          <span style={{ color: '#a8071a' }}>无法读取: {problem}</span>
        ) : (
          '正在读取…'
        )}
      </span>
    </Form.Item>
  );
}

/** 运行日志: the console's own log files, for the vendor's support line (no secret is ever written in them). */
function SupportLogs() {
  const [busy, setBusy] = useState<'open' | 'export' | null>(null);
  const [result, setResult] = useState<{ failed: boolean; text: string } | null>(null);

  const run = async (which: 'open' | 'export', action: () => Promise<{ failed: boolean; text: string }>) => {
    setBusy(which);
    setResult(null);
    try {
      setResult(await action());
    } catch (e) {
      // The host could not be reached (preview host stopped) or its dialog failed: said here, nothing else to undo.
      setResult({ failed: true, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  };

  // Not saved (a closed dialog) or a folder shown instead of opened is no failure: said as it is.
  const openFolder = () =>
    run('open', async () => {
      const r = await binding.files.openLogFolder();
      return { failed: false, text: r.message };
    });
  const exportLogs = () =>
    run('export', async () => {
      const r = await api.exportSupportLogs();
      if (!r.ok) return { failed: true, text: r.error.message };
      const saved = await binding.files.saveExport(r.value);
      return { failed: false, text: saved.message };
    });

  return (
    <Form.Item
      label="运行日志"
      extra="控制台自己的运行记录 (启动、停止、出错), 供厂商技术支持排查问题; 不含密钥和管理密码"
    >
      <Space wrap>
        <Button onClick={openFolder} loading={busy === 'open'} disabled={busy !== null} data-testid="open-log-folder">
          打开日志文件夹
        </Button>
        <Button
          onClick={exportLogs}
          loading={busy === 'export'}
          disabled={busy !== null}
          data-testid="export-support-logs"
        >
          导出运行日志
        </Button>
      </Space>
      <div
        aria-live="polite"
        data-testid="support-logs-result"
        style={{ marginTop: 8, wordBreak: 'break-all', color: result?.failed ? '#a8071a' : undefined }}
      >
        {result?.text ?? ''}
      </div>
    </Form.Item>
  );
}

function SettingsForm() {
  const current = useConsole((s) => s.settings)!;
  const setSettings = useConsole((s) => s.setSettings);
  const { message } = App.useApp();
  const [values, setValues] = useState<Settings>(() => pick(current));
  const [secret, setSecret] = useState('');
  /** The manager agreed to keep the secret in the key file (asked only where the system offers no encryption). */
  const [keepInKeyFile, setKeepInKeyFile] = useState(false);
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => setValues(pick(current)), [current]);

  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => {
    setValues((s) => ({ ...s, [k]: v }));
    setErrors((e) => ({ ...e, [k]: undefined }));
  };

  /** Another platform: its own credentials come into the form (a secret typed for the previous one is dropped). */
  const choosePlatform = (k: Settings['platform']) => {
    const { secretSet: _s, ...own } = current.platforms[k];
    setValues((s) => ({ ...s, platform: k, ...own }));
    setSecret('');
    setKeepInKeyFile(false);
    setErrors((e) => ({ ...e, platform: undefined, parkUuid: undefined, appId: undefined, apiType: undefined }));
  };
  const shown = current.platforms[values.platform];

  const clearSecret = async () => {
    const r = await api.clearSecret({ platform: values.platform });
    if (!r.ok) return void message.error(r.error.message);
    setSettings(r.value);
    message.success(`已删除${PLATFORM_KIND_LABELS[values.platform]}的密钥`);
  };

  const save = async () => {
    const change: Record<string, unknown> = {};
    const before = pick(current);
    for (const k of Object.keys(values) as (keyof Settings)[]) {
      if (JSON.stringify(values[k]) !== JSON.stringify(before[k])) change[k] = values[k];
    }
    // On another platform the form shows that platform's credentials: they go with the change as they are.
    if (values.platform !== current.platform) for (const k of CREDENTIAL_KEYS) change[k] = values[k];
    if (secret !== '') {
      if (current.secretStorage === 'keyfile' && !keepInKeyFile) {
        setErrors((e) => ({ ...e, appSecret: KEYFILE_UNCONFIRMED }));
        return void message.error(KEYFILE_UNCONFIRMED);
      }
      change.appSecret = secret;
      if (current.secretStorage === 'keyfile') change.keepSecretInKeyFile = true;
    }
    if (pin !== '') change.managerPin = pin;
    if (Object.keys(change).length === 0) return void message.info('没有修改');
    setBusy(true);
    const r = await api.updateSettings(change as SettingsUpdate);
    setBusy(false);
    if (!r.ok) {
      setErrors(Object.fromEntries((r.error.issues ?? []).map((i) => [i.field.split(/[.[]/)[0], i.message])) as Errors);
      return void message.error(r.error.message);
    }
    setSecret('');
    setKeepInKeyFile(false);
    setPin('');
    setErrors({});
    setSettings(r.value);
    message.success('设置已保存');
  };

  // The label names its control (id + htmlFor): screen readers and axe read the field by its label.
  const field = (k: keyof Errors, label: ReactNode, control: ReactNode, extra?: ReactNode) => (
    <Form.Item
      label={label}
      htmlFor={`settings-${String(k)}`}
      validateStatus={errors[k] ? 'error' : ''}
      help={errors[k] ? <span data-testid={`settings-error-${k}`}>{errors[k]}</span> : undefined}
      extra={extra}
    >
      {isValidElement<{ id?: string }>(control) && !control.props.id
        ? cloneElement(control, { id: `settings-${String(k)}` })
        : control}
    </Form.Item>
  );

  const hostOf =
    values.platform === 'integration'
      ? PLATFORM_HOSTS.integration
      : values.platform === 'production'
        ? PLATFORM_HOSTS.production
        : null;

  return (
    <Form layout="vertical" onFinish={save} data-testid="settings-form">
      <Row gutter={24}>
        <Col xs={24} lg={12}>
          <Card title="平台与凭据" style={{ marginBottom: 16 }}>
            {field(
              'platform',
              '记录发往',
              <Radio.Group
                value={values.platform}
                onChange={(e) => choosePlatform(e.target.value as Settings['platform'])}
                optionType="button"
                buttonStyle="solid"
                options={PLATFORM_KINDS.map((k) => ({ value: k, label: PLATFORM_KIND_LABELS[k] }))}
              />,
              values.platform === 'sandbox' ? (
                '内置沙箱: 记录只发往本机, 不会到达 P云. 适合培训与联调前自测.'
              ) : hostOf ? (
                <span className="mono">{hostOf}</span>
              ) : null,
            )}
            {values.platform === 'custom'
              ? field(
                  'customBaseUrl',
                  '自定义地址',
                  <Input
                    value={values.customBaseUrl}
                    onChange={(e) => set('customBaseUrl', e.target.value)}
                    placeholder="https://…"
                  />,
                )
              : null}
            {field(
              'parkUuid',
              'park_uuid (车场编号)',
              <Input
                value={values.parkUuid}
                onChange={(e) => set('parkUuid', e.target.value)}
                placeholder={values.platform === 'sandbox' ? '留空使用沙箱默认车场' : ''}
                data-testid="settings-park"
              />,
            )}
            {field(
              'appId',
              'app_id',
              <Input
                value={values.appId}
                onChange={(e) => set('appId', e.target.value)}
                placeholder="车场本地发起时可不填"
              />,
            )}
            {field(
              'apiType',
              'api_type',
              <Input value={values.apiType} onChange={(e) => set('apiType', e.target.value)} />,
            )}
            {field(
              'appSecret',
              <span>
                密钥 app_secret{' '}
                <span style={{ color: shown.secretSet ? '#237804' : '#ad4e00' }} data-testid="secret-state">
                  ({shown.secretSet ? '已设置' : '未设置'})
                </span>
              </span>,
              <Input.Password
                value={secret}
                onChange={(e) => {
                  setSecret(e.target.value);
                  // A secret typed again is confirmed again.
                  if (e.target.value === '') setKeepInKeyFile(false);
                  setErrors((x) => ({ ...x, appSecret: undefined }));
                }}
                placeholder={
                  shown.secretSet
                    ? '已设置; 留空则不修改'
                    : values.platform === 'sandbox'
                      ? '留空使用沙箱默认密钥'
                      : '未设置'
                }
                autoComplete="new-password"
                data-testid="settings-secret"
              />,
              <Space orientation="vertical" size={4}>
                <span>密钥只能写入, 保存后不再显示. 每个平台各自保存自己的车场编号与密钥.</span>
                <span data-testid="secret-storage" data-storage={current.secretStorage}>
                  保存方式: {SECRET_STORAGE_LABELS[current.secretStorage]}
                </span>
                <KeyFileConsent
                  storage={current.secretStorage}
                  secretTyped={secret !== ''}
                  checked={keepInKeyFile}
                  onChange={(v) => {
                    setKeepInKeyFile(v);
                    setErrors((x) => ({ ...x, appSecret: undefined }));
                  }}
                  testId="settings-keyfile-consent"
                />
                <span data-testid="secret-states">
                  {PLATFORM_KINDS.map((k) => (
                    <Tag
                      key={k}
                      color={current.platforms[k].secretSet ? 'green' : 'default'}
                      // antd's green text on its green is below 4.5:1: a darker green reads at 1024×768.
                      style={current.platforms[k].secretSet ? { color: '#135200' } : undefined}
                      data-testid={`secret-state-${k}`}
                    >
                      {PLATFORM_KIND_LABELS[k]}: {current.platforms[k].secretSet ? '密钥已设置' : '无密钥'}
                    </Tag>
                  ))}
                </span>
                {shown.secretSet ? (
                  <Popconfirm
                    title={`删除${PLATFORM_KIND_LABELS[values.platform]}的密钥?`}
                    description={
                      values.platform === 'sandbox' ? '删除后沙箱使用它自己的默认密钥.' : '删除后须重新输入才能上传.'
                    }
                    okText="删除"
                    cancelText="取消"
                    onConfirm={clearSecret}
                  >
                    <Button danger size="small" data-testid="clear-secret">
                      删除密钥
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>,
            )}
            {field(
              'stationId',
              '岗亭编号 (flow_no 的一部分)',
              <Input
                value={values.stationId}
                onChange={(e) => set('stationId', e.target.value)}
                style={{ maxWidth: 200 }}
              />,
            )}
            {field(
              'mode',
              '模式',
              <Radio.Group
                value={values.mode}
                onChange={(e) => set('mode', e.target.value as Settings['mode'])}
                options={[
                  { value: 'integration', label: '联调' },
                  { value: 'production', label: '正式' },
                ]}
              />,
            )}
            {field(
              'encodingUrl',
              'encoding=URL (值按 URL 编码发送)',
              <Switch checked={values.encodingUrl} onChange={(v) => set('encodingUrl', v)} />,
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="上传节奏" style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col span={12}>
                {field(
                  'ratePerSecond',
                  '每秒最多请求数',
                  <InputNumber
                    min={0.1}
                    max={100}
                    step={1}
                    value={values.ratePerSecond}
                    onChange={(v) => set('ratePerSecond', Number(v))}
                    style={{ width: '100%' }}
                  />,
                )}
              </Col>
              <Col span={12}>
                {field(
                  'concurrency',
                  '同时上传数',
                  <InputNumber
                    min={1}
                    max={8}
                    value={values.concurrency}
                    onChange={(v) => set('concurrency', Number(v))}
                    style={{ width: '100%' }}
                  />,
                )}
              </Col>
              <Col span={12}>
                {field(
                  'vipBatchSize',
                  '固定车每批条数',
                  <InputNumber
                    min={1}
                    max={1000}
                    value={values.vipBatchSize}
                    onChange={(v) => set('vipBatchSize', Number(v))}
                    style={{ width: '100%' }}
                  />,
                )}
              </Col>
              <Col span={12}>
                {field(
                  'timeoutMs',
                  '超时 (毫秒)',
                  <InputNumber
                    min={1000}
                    max={120000}
                    step={1000}
                    value={values.timeoutMs}
                    onChange={(v) => set('timeoutMs', Number(v))}
                    style={{ width: '100%' }}
                  />,
                )}
              </Col>
              <Col span={12}>
                {field(
                  'stuckAfterAttempts',
                  '失败几次后提示',
                  <InputNumber
                    min={1}
                    max={1000}
                    value={values.stuckAfterAttempts}
                    onChange={(v) => set('stuckAfterAttempts', Number(v))}
                    style={{ width: '100%' }}
                  />,
                )}
              </Col>
              <Col span={12}>
                {field(
                  'backoffCapMs',
                  '重试最长间隔 (毫秒)',
                  <InputNumber
                    min={1000}
                    max={86400000}
                    step={1000}
                    value={values.backoffCapMs}
                    onChange={(v) => set('backoffCapMs', Number(v))}
                    style={{ width: '100%' }}
                  />,
                )}
              </Col>
            </Row>
          </Card>
          <Card title="车场与记录" style={{ marginBottom: 16 }}>
            {field(
              'parkName',
              '车场名称',
              <Input
                value={values.parkName}
                onChange={(e) => set('parkName', e.target.value)}
                maxLength={40}
                placeholder="例如 阳光花园停车场"
                data-testid="settings-park-name"
              />,
              '固定车完整上传 (先清空平台固定车) 时, 须输入此名称确认',
            )}
            {field(
              'timeZone',
              '车场时区',
              <Select
                value={values.timeZone}
                onChange={(v) => set('timeZone', v)}
                options={ZONES.map((z) => ({ value: z, label: z }))}
                showSearch
              />,
            )}
            {field(
              'reasons',
              '放行原因列表 (输入后回车添加)',
              <Select
                mode="tags"
                value={values.reasons}
                onChange={(v: string[]) => set('reasons', v)}
                tokenSeparators={[',', '，']}
              />,
            )}
            {field(
              'logRetentionDays',
              '推送日志保留天数',
              <InputNumber
                min={7}
                max={3650}
                value={values.logRetentionDays}
                onChange={(v) => set('logRetentionDays', Number(v))}
              />,
            )}
            <ImagesFolderLine />
            {field(
              'managerPin',
              `修改管理密码 (${current.managerPinSet ? '已设置' : '未设置'})`,
              <Input.Password
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
                placeholder="留空则不修改; 4 到 8 位数字"
                autoComplete="new-password"
              />,
            )}
          </Card>
          <Card title="桌面程序与运行日志" style={{ marginBottom: 16 }}>
            {field(
              'startAtLogin',
              '开机自动启动',
              <Switch
                checked={values.startAtLogin}
                onChange={(v) => set('startAtLogin', v)}
                data-testid="settings-start-at-login"
              />,
              binding.host === 'electron'
                ? '登录 Windows 后自动启动控制台 (只在桌面程序中有效)'
                : '只在桌面程序中有效: 现在是浏览器预览, 保存后不起作用',
            )}
            <SupportLogs />
          </Card>
        </Col>
      </Row>
      <Button
        type="primary"
        size="large"
        htmlType="submit"
        loading={busy}
        data-testid="save-settings"
        style={{ minWidth: 200 }}
      >
        保存设置
      </Button>
    </Form>
  );
}

export function SettingsScreen() {
  return (
    <ManagerGate what="设置">
      <SettingsForm />
    </ManagerGate>
  );
}
