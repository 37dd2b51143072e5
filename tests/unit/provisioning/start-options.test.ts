import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { plainStartOptions } from '../../../provisioning/commands/start.js';
import { espaceBin } from '../../support/espace-bin.js';

/**
 * `espace start` reads plain options (the unit's `start --config FILE`) without commander, and
 * gives anything else to commander, which answers as for every command.
 */
describe('espace start without commander', () => {
  it('reads the plain forms of its options', () => {
    assert.deepEqual(plainStartOptions([]), { config: undefined, port: undefined });
    assert.deepEqual(plainStartOptions(['--config', '/etc/espace/espace.yaml']), { config: '/etc/espace/espace.yaml', port: undefined });
    assert.deepEqual(plainStartOptions(['-c', 'a.yaml', '-p', '9000']), { config: 'a.yaml', port: 9000 });
    assert.deepEqual(plainStartOptions(['--config=a.yaml', '--port=9000']), { config: 'a.yaml', port: 9000 });
  });

  it('leaves help, unknown options and arguments to commander', () => {
    for (const args of [['--help'], ['-h'], ['--bogus'], ['extra'], ['--config'], ['-x', '1']]) assert.equal(plainStartOptions(args), null, args.join(' '));
  });

  it('answers those as commander does', () => {
    const cli = espaceBin();
    const help = spawnSync(process.execPath, [cli, 'start', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: espace start \[options\][\s\S]*-c, --config <file>[\s\S]*-p, --port <port>/);
    const bogus = spawnSync(process.execPath, [cli, 'start', '--bogus'], { encoding: 'utf8' });
    assert.equal(bogus.status, 1);
    assert.match(bogus.stderr, /unknown option '--bogus'/);
    const missing = spawnSync(process.execPath, [cli, 'start', '--config', '/nonexistent/espace.yaml'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    assert.equal(missing.status, 2, 'a configuration error stops it as before');
    assert.match(missing.stderr, /cannot read the config file \/nonexistent\/espace\.yaml/);
  });
});
