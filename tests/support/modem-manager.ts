import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageBus } from 'dbus-next';
import type { ModemSms } from '../../hub/sms/index.js';

const require = createRequire(import.meta.url);
const dbus = require('dbus-next') as typeof import('dbus-next');
const { Interface } = dbus.interface;
const { Variant, DBusError } = dbus;

const SERVICE = 'org.freedesktop.ModemManager1';
const ROOT = '/org/freedesktop/ModemManager1';
const MODEM_IFACE = 'org.freedesktop.ModemManager1.Modem';
const MESSAGING_IFACE = 'org.freedesktop.ModemManager1.Modem.Messaging';
const SMS_IFACE = 'org.freedesktop.ModemManager1.Sms';

/** A private message bus: Debian's dbus-daemon with its own config and socket in a temp dir. */
export interface PrivateBus {
  address: string;
  stop(): Promise<void>;
}

export async function startPrivateBus(): Promise<PrivateBus> {
  const dir = mkdtempSync(join(tmpdir(), `espace-dbus-${process.pid}-`));
  const socket = join(dir, 'bus');
  const config = join(dir, 'bus.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`
  );
  const child: ChildProcess = spawn('dbus-daemon', [`--config-file=${config}`, '--print-address', '--nofork'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`dbus-daemon did not start: ${err}`)), 10_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.trim().split('\n')[0]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    // The daemon prints "unix:path=…,guid=…"; the path alone is what clients need.
    address: address.split(',guid=')[0]!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An SMS object as the hub reads it, and whether a delivery report was asked for. */
export interface MockSms extends ModemSms {
  deliveryReportRequest: boolean;
}

/** What the mock does when the hub calls Send on an SMS: answer it, fail it, or never answer. */
export type SendBehaviour = 'ok' | 'fail' | 'hang';

let nextRef = 1;

/**
 * ModemManager's D-Bus API as the hub uses it (ObjectManager, Modem, Modem.Messaging, Sms),
 * served on a private bus: a modem that can be unplugged and plugged back, incoming messages
 * delivered on demand, and every Send recorded. Hooks let a test kill the hub at the exact
 * moment the modem has sent a message but before the hub heard it.
 */
export class MockModemManager {
  readonly sent: MockSms[] = [];
  readonly messages = new Map<string, MockSms>();
  /** Called on each Send, after the SMS is marked sent when the behaviour is "ok". */
  onSend: (sms: MockSms) => SendBehaviour = () => 'ok';
  /** Called after each Create. */
  onCreate: (sms: MockSms) => void = () => {};
  creates = 0;
  private modemIndex = 0;
  private smsIndex = 0;
  private modemPath: string | null = null;
  private readonly exported = new Map<string, InstanceType<typeof Interface>[]>();
  private objectManager!: InstanceType<typeof Interface> & {
    InterfacesAdded(path: string, ifaces: unknown): unknown;
    InterfacesRemoved(path: string, names: string[]): unknown;
  };
  private messaging: (InstanceType<typeof Interface> & { Added(path: string, received: boolean): unknown }) | null = null;

  private constructor(readonly bus: MessageBus) {}

  static async start(address: string, options: { plugged?: boolean } = {}): Promise<MockModemManager> {
    const bus = dbus.sessionBus({ busAddress: address });
    const mm = new MockModemManager(bus);
    mm.exportRoot();
    await bus.requestName(SERVICE, 0);
    if (options.plugged !== false) mm.plug();
    return mm;
  }

  get modem(): string | null {
    return this.modemPath;
  }

  private exportRoot(): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the D-Bus interfaces' methods have their own this
    const mock = this;
    class ObjectManager extends Interface {
      GetManagedObjects() {
        const out: Record<string, Record<string, Record<string, InstanceType<typeof Variant>>>> = {};
        if (mock.modemPath) out[mock.modemPath] = mock.modemInterfaces();
        return out;
      }
      InterfacesAdded(path: string, ifaces: unknown) {
        return [path, ifaces];
      }
      InterfacesRemoved(path: string, names: string[]) {
        return [path, names];
      }
    }
    ObjectManager.configureMembers({
      methods: { GetManagedObjects: { outSignature: 'a{oa{sa{sv}}}' } },
      signals: { InterfacesAdded: { signature: 'oa{sa{sv}}' }, InterfacesRemoved: { signature: 'oas' } },
    });
    this.objectManager = new ObjectManager('org.freedesktop.DBus.ObjectManager');
    this.bus.export(ROOT, this.objectManager);
  }

  private modemInterfaces(): Record<string, Record<string, InstanceType<typeof Variant>>> {
    return {
      [MODEM_IFACE]: {
        Manufacturer: new Variant('s', 'Huawei'),
        Model: new Variant('s', 'E3372 (simulé)'),
        State: new Variant('i', 11),
        SignalQuality: new Variant('(ub)', [72, true]),
      },
      [MESSAGING_IFACE]: { Messages: new Variant('ao', [...this.messages.keys()]) },
    };
  }

  /** A modem appears (a new path each time, as ModemManager does after a replug). */
  plug(): string {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the D-Bus interfaces' methods have their own this
    const mock = this;
    const path = `${ROOT}/Modem/${this.modemIndex++}`;
    class Modem extends Interface {
      get Manufacturer() {
        return 'Huawei';
      }
      get Model() {
        return 'E3372 (simulé)';
      }
      get State() {
        return 11;
      }
      get SignalQuality() {
        return [72, true];
      }
    }
    Modem.configureMembers({
      properties: {
        Manufacturer: { signature: 's', access: 'read' },
        Model: { signature: 's', access: 'read' },
        State: { signature: 'i', access: 'read' },
        SignalQuality: { signature: '(ub)', access: 'read' },
      },
    });
    class Messaging extends Interface {
      get Messages() {
        return [...mock.messages.keys()];
      }
      List() {
        return [...mock.messages.keys()];
      }
      Create(props: Record<string, InstanceType<typeof Variant>>) {
        const number = props.number?.value as string | undefined;
        const text = props.text?.value as string | undefined;
        if (!number || text === undefined) throw new DBusError('org.freedesktop.ModemManager1.Error.Core.InvalidArgs', 'number and text are required');
        const sms = mock.addSms({ state: 1, pduType: 2, number, text, timestamp: '', deliveryReportRequest: Boolean(props['delivery-report-request']?.value) });
        mock.creates += 1;
        mock.onCreate(sms);
        return sms.path;
      }
      Delete(path: string) {
        if (!mock.messages.has(path)) throw new DBusError('org.freedesktop.ModemManager1.Error.Core.NotFound', `no SMS ${path}`);
        mock.removeSms(path);
      }
      Added(path: string, received: boolean) {
        return [path, received];
      }
      Deleted(path: string) {
        return path;
      }
    }
    Messaging.configureMembers({
      properties: { Messages: { signature: 'ao', access: 'read' } },
      methods: { List: { outSignature: 'ao' }, Create: { inSignature: 'a{sv}', outSignature: 'o' }, Delete: { inSignature: 'o' } },
      signals: { Added: { signature: 'ob' }, Deleted: { signature: 'o' } },
    });
    const modem = new Modem(MODEM_IFACE);
    const messaging = new Messaging(MESSAGING_IFACE) as typeof this.messaging & object;
    this.bus.export(path, modem);
    this.bus.export(path, messaging);
    this.exported.set(path, [modem, messaging]);
    this.modemPath = path;
    this.messaging = messaging;
    this.objectManager.InterfacesAdded(path, this.modemInterfaces());
    return path;
  }

  /** The modem is pulled out: it and every SMS object it held are gone. */
  unplug(): void {
    const path = this.modemPath;
    if (!path) return;
    for (const sms of [...this.messages.keys()]) this.removeSms(sms);
    this.unexportAll(path);
    this.modemPath = null;
    this.messaging = null;
    this.objectManager.InterfacesRemoved(path, [MODEM_IFACE, MESSAGING_IFACE]);
  }

  private addSms(fields: Omit<MockSms, 'path' | 'deliveryState' | 'messageReference'>): MockSms {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the D-Bus interfaces' methods have their own this
    const mock = this;
    const sms: MockSms = { ...fields, path: `${ROOT}/SMS/${this.smsIndex++}`, deliveryState: 0x100, messageReference: 0 };
    class Sms extends Interface {
      get State() {
        return sms.state;
      }
      get PduType() {
        return sms.pduType;
      }
      get Number() {
        return sms.number;
      }
      get Text() {
        return sms.text;
      }
      get Timestamp() {
        return sms.timestamp;
      }
      get DeliveryState() {
        return sms.deliveryState;
      }
      get MessageReference() {
        return sms.messageReference;
      }
      get DeliveryReportRequest() {
        return sms.deliveryReportRequest;
      }
      async Send() {
        if (sms.pduType !== 2) throw new DBusError('org.freedesktop.ModemManager1.Error.Core.Unsupported', 'cannot send a received SMS');
        if (sms.state === 5) throw new DBusError('org.freedesktop.ModemManager1.Error.Core.WrongState', 'already sent');
        sms.state = 4;
        const before = mock.onSend(sms);
        if (before === 'fail') {
          sms.state = 1;
          throw new DBusError('org.freedesktop.ModemManager1.Error.MessageError.NetworkTimeout', 'the network did not take the SMS');
        }
        sms.state = 5;
        sms.messageReference = nextRef++;
        mock.sent.push({ ...sms });
        // "hang": sent, but the answer never comes (the hub is killed meanwhile in the tests).
        if (before === 'hang') await new Promise(() => {});
      }
    }
    const ro = (signature: string) => ({ signature, access: 'read' as const });
    Sms.configureMembers({
      properties: {
        State: ro('u'),
        PduType: ro('u'),
        Number: ro('s'),
        Text: ro('s'),
        Timestamp: ro('s'),
        DeliveryState: ro('u'),
        MessageReference: ro('u'),
        DeliveryReportRequest: ro('b'),
      },
      methods: { Send: {} },
    });
    const iface = new Sms(SMS_IFACE);
    this.bus.export(sms.path, iface);
    this.exported.set(sms.path, [iface]);
    this.messages.set(sms.path, sms);
    return sms;
  }

  /** The whole object: dbus-next 0.10 drops an object with its first interface unexported (it tests `.length` of an object). */
  private unexportAll(path: string): void {
    if (this.exported.has(path)) (this.bus.unexport as (p: string) => void)(path);
    this.exported.delete(path);
  }

  private removeSms(path: string): void {
    this.unexportAll(path);
    this.messages.delete(path);
  }

  /** A message arrives from a phone: stored in the modem, announced with Added(path, true). */
  deliver(from: string, text: string, timestamp = new Date().toISOString()): string {
    if (!this.messaging) throw new Error('no modem plugged in');
    const sms = this.addSms({ state: 3, pduType: 1, number: from, text, timestamp, deliveryReportRequest: false });
    this.messaging.Added(sms.path, true);
    return sms.path;
  }

  /** The network's delivery report for a sent message (0 delivered, 0x41… failed). */
  report(number: string, text: string, deliveryState = 0): boolean {
    const sms = [...this.messages.values()].find((s) => s.pduType === 2 && s.state === 5 && s.number === number && s.text === text);
    if (!sms) return false;
    sms.deliveryState = deliveryState;
    return true;
  }

  /** Messages sent to a number. */
  sentTo(number: string): string[] {
    return this.sent.filter((s) => s.number === number).map((s) => s.text);
  }

  stop(): void {
    this.bus.disconnect();
  }
}
