/**
 * One sender per data folder: a second worker (a CLI drain beside the console, a second console) is
 * refused with who holds the folder, and a killed sender never leaves a lock behind.
 */
import { describe, expect, it } from 'vitest';
import { WorkerBusyError } from '../../electron/queue/worker-lock.ts';
import { openConsoleServices } from '../../electron/services/open.ts';
import { updateRecord } from '../fixtures/records.ts';
import { openHarness, until } from '../support/queue-harness.ts';
import { useSandbox } from '../support/sandbox.ts';
import { runCli, runEnqueue, startCli, tempDir } from './cli-helpers.ts';

const { sandbox, target } = useSandbox();
/** `drain`'s flags for the test's sandbox. */
const platform = () => ['--base-url', sandbox().url, '--park-uuid', target().parkUuid, '--secret', target().appSecret];

describe('the sender lock of a data folder', () => {
  it('a second queue on the folder is refused until the first stops; enqueueing beside it is fine', async () => {
    const tmp = tempDir('lock-');
    const first = openHarness(target(), {}, tmp.dir);
    const second = openHarness(target(), {}, tmp.dir);
    first.queue.start();
    expect(() => second.queue.start()).toThrow(WorkerBusyError);
    expect(() => second.queue.start()).toThrow(/已有一个进程在上传 \(进程 \d+: booth console/);
    // Adding records from another connection is what the CLI's enqueue does beside a console: allowed.
    second.queue.enqueue('update', updateRecord());
    await until(() => sandbox().state().accepted.update.length === 1);
    await first.close();
    second.queue.start();
    second.queue.enqueue('update', updateRecord());
    await second.queue.idle();
    expect(sandbox().state().accepted.update).toHaveLength(2);
    await second.close();
    tmp.remove();
  });

  it('a CLI drain beside a running console exits 3 naming the console, and sends nothing', async () => {
    const tmp = tempDir('lock-cli-');
    const services = await openConsoleServices({
      dataDir: tmp.dir,
      embeddedSandbox: false,
      holder: '岗亭控制台 (测试)',
    });
    try {
      services.queue.pause('测试', '先不上传');
      services.queue.enqueue('update', updateRecord());
      const r = await runCli(['drain', '--data-dir', tmp.dir, '--until-empty', ...platform()]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^drain: 数据目录 .* 已有一个进程在上传 \(进程 \d+: 岗亭控制台 \(测试\)/);
      expect(sandbox().state().accepted.update).toHaveLength(0);
      // A second console on the folder is refused the same way, and leaves nothing open behind it.
      await expect(openConsoleServices({ dataDir: tmp.dir, embeddedSandbox: false })).rejects.toThrow(WorkerBusyError);
    } finally {
      await services.close();
    }
    // The console closed: the drain gets past the lock, and stops at the manager's pause.
    const r = await runCli(['drain', '--data-dir', tmp.dir, '--until-empty', '--quiet', ...platform()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/队列已暂停 \(测试 手动暂停: 先不上传\)/);
    tmp.remove();
  });

  it('a drain killed with SIGKILL leaves no lock: the next one starts at once', async () => {
    const tmp = tempDir('lock-kill-');
    sandbox().setFaults([{ kind: 'hang' }]);
    const args = ['drain', '--data-dir', tmp.dir, ...platform(), '--quiet'];
    expect((await runEnqueue('update', tmp.file('u.json', JSON.stringify(updateRecord())), tmp.dir)).code).toBe(0);
    const first = startCli(args);
    await until(() => sandbox().state().requests.length > 0);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    sandbox().setFaults([]);
    const second = await runCli([...args, '--until-empty']);
    expect(second.code).toBe(0);
    expect(sandbox().state().accepted.update).toHaveLength(1);
    tmp.remove();
  });
});
