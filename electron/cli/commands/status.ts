/** `status`: one JSON line with the outbox's counts and whether it is paused. Sends nothing. */
import { createMetaRepo } from '../../queue/meta-repo.ts';
import { parseArgs } from '../args.ts';
import { callerPath } from '../files.ts';
import { checkDataDir, openCliQueue } from '../queue-target.ts';

export const statusUsage = 'status --data-dir D';

export async function statusCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs('status', argv, { values: ['data-dir'], required: ['data-dir'] });
  const dataDir = callerPath(values['data-dir']!);
  checkDataDir('status', dataDir, false);
  const cli = openCliQueue({ dataDir, target: null });
  try {
    const s = cli.queue.status();
    // Only a pause kept in the folder: "no platform" is a fact of this CLI run, not of the queue.
    const paused = createMetaRepo(cli.db.sql).pause();
    out(JSON.stringify({ ...s, paused, platform: cli.settings.get().platform }));
    return 0;
  } finally {
    await cli.close();
  }
}
