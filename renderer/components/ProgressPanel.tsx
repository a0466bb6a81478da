/**
 * A long job's progress, large: what is being done (读取文件, 检查每一行 …), how far (1,234 / 20,000) and a bar.
 * Without a total yet it says so and the bar runs.
 */
import { Progress } from 'antd';

interface ProgressPanelProps {
  title: string;
  done: number;
  total: number;
  /** What the job is about, e.g. the file's name. */
  subject?: string;
  testId?: string;
}

const n = (x: number) => x.toLocaleString('zh-CN');

export function ProgressPanel({ title, done, total, subject, testId }: ProgressPanelProps) {
  const known = total > 0;
  const percent = known ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return (
    <div
      className="progress-panel"
      data-testid={testId}
      data-done={done}
      data-total={total}
      role="status"
      aria-live="polite"
      aria-busy="true"
    >
      <div className="progress-panel-head">
        <span className="progress-panel-title">{title}…</span>
        <span className="progress-panel-count">{known ? `${n(done)} / ${n(total)}` : '正在开始'}</span>
      </div>
      {subject ? <div className="progress-panel-subject">{subject}</div> : null}
      <Progress
        percent={percent}
        status="active"
        size={{ height: 20 }}
        format={() => (known ? `${percent}%` : '')}
        aria-label={`${title}进度`}
      />
    </div>
  );
}
