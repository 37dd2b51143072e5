import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Message as DBusMessage, MessageBus, Variant as DBusVariant } from 'dbus-next';
import type { Logger } from '../log/index.js';

const require = createRequire(import.meta.url);
let dbusModule: typeof import('dbus-next') | undefined;
/**
 * dbus-next, loaded at the first connection: most hubs have no modem, and the library with
 * its XML parser weighs ~1.5 MB of heap. CommonJS; its pure-JS transport is used (its
 * optional native socket is not built).
 */
function dbus(): typeof import('dbus-next') {
  return (dbusModule ??= require('dbus-next') as typeof import('dbus-next'));
}

/** ModemManager's D-Bus names (ModemManager 1.x API, as on Raspberry Pi OS / Debian). */
export const MM = {
  service: 'org.freedesktop.ModemManager1',
  root: '/org/freedesktop/ModemManager1',
  modem: 'org.freedesktop.ModemManager1.Modem',
  messaging: 'org.freedesktop.ModemManager1.Modem.Messaging',
  sms: 'org.freedesktop.ModemManager1.Sms',
  objectManager: 'org.freedesktop.DBus.ObjectManager',
  properties: 'org.freedesktop.DBus.Properties',
} as const;

/** MMSmsState */
export const SMS_STATE = { unknown: 0, stored: 1, receiving: 2, received: 3, sending: 4, sent: 5 } as const;
/** MMSmsPduType */
export const PDU_TYPE = { unknown: 0, deliver: 1, submit: 2, statusReport: 3 } as const;
/** MMSmsDeliveryState: below 0x20 delivered, 0x20–0x3f still trying, 0x40 and up failed; 0x100 no report yet. */
export const DELIVERY_UNKNOWN = 0x100;

export interface ModemSms {
  path: string;
  state: number;
  pduType: number;
  number: string;
  text: string;
  timestamp: string;
  deliveryState: number;
  messageReference: number;
}

export interface ModemInfo {
  path: string;
  manufacturer: string;
  model: string;
  /** MMModemState: 8 registered, 11 connected; below 0 failed. */
  state: number;
  signalPercent: number | null;
}

/** The modem is gone or ModemManager is not there: the queue waits and tries again. */
export class ModemUnavailable extends Error {
  override readonly name = 'ModemUnavailable';
}

/** The call got no answer in time: it may or may not have been carried out. */
export class ModemTimeout extends Error {
  override readonly name = 'ModemTimeout';
}

const GONE = new Set([
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.UnknownObject',
  'org.freedesktop.DBus.Error.UnknownMethod',
  'org.freedesktop.DBus.Error.UnknownInterface',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
  'org.freedesktop.DBus.Error.NoReply',
  'org.freedesktop.DBus.Error.Disconnected',
  'org.freedesktop.ModemManager1.Error.Core.WrongState',
]);

type Props = Record<string, DBusVariant>;
const value = <T>(props: Props, key: string, fallback: T): T => (props[key] ? (props[key].value as T) : fallback);

/**
 * A small client of ModemManager's D-Bus API — the same modem NetworkManager uses for the
 * uplink; ModemManager shares it between the data bearer and SMS. Low-level calls (no
 * introspection), each with a timeout. Emits `received` (an SMS path) when the modem
 * stores an incoming message, `modems` when a modem comes or goes.
 */
export class ModemManagerClient extends EventEmitter {
  private closed = false;

  private constructor(
    private readonly bus: MessageBus,
    private readonly log: Logger
  ) {
    super();
  }

  /** Connects to the system bus ("system") or to a bus address ("unix:path=…", tests). */
  static async connect(address: string, log: Logger): Promise<ModemManagerClient> {
    const bus = address === 'system' ? dbus().systemBus() : dbus().sessionBus({ busAddress: address });
    const client = new ModemManagerClient(bus, log);
    await new Promise<void>((resolve, reject) => {
      const fail = (err: unknown) => reject(new ModemUnavailable(`cannot reach the D-Bus bus ${address}: ${err instanceof Error ? err.message : String(err)}`));
      bus.once('error', fail);
      bus.once('connect', () => {
        bus.off('error', fail);
        resolve();
      });
    });
    bus.on('error', (err: unknown) => {
      if (!client.closed) client.log.warn({ err }, 'D-Bus connection lost');
      client.closed = true;
      client.emit('disconnected');
    });
    bus.on('message', (msg: DBusMessage) => client.onSignal(msg));
    const rules = [
      `type='signal',sender='${MM.service}',interface='${MM.messaging}',member='Added'`,
      `type='signal',sender='${MM.service}',interface='${MM.objectManager}'`,
      `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${MM.service}'`,
    ];
    for (const rule of rules) await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [rule]);
    return client;
  }

  get connected(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bus.disconnect();
  }

  private onSignal(msg: DBusMessage): void {
    if (msg.type !== dbus().MessageType.SIGNAL) return;
    if (msg.interface === MM.messaging && msg.member === 'Added') {
      const [path, received] = msg.body as [string, boolean];
      if (received) this.emit('received', path);
    } else if (msg.interface === MM.objectManager || msg.member === 'NameOwnerChanged') {
      this.emit('modems');
    }
  }

  private async call(
    destination: string,
    path: string,
    iface: string,
    member: string,
    signature = '',
    body: unknown[] = [],
    timeoutMs = 10_000
  ): Promise<unknown[]> {
    if (this.closed) throw new ModemUnavailable('the D-Bus connection is closed');
    const { Message } = dbus();
    const message = new Message({ destination, path, interface: iface, member, signature, body });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ModemTimeout(`${member} got no answer in ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      const reply = await Promise.race([this.bus.call(message), timeout]);
      return (reply?.body ?? []) as unknown[];
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type && GONE.has(type)) throw new ModemUnavailable(`${member}: ${(err as Error).message || type}`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private async props(path: string, iface: string): Promise<Props> {
    const [props] = (await this.call(MM.service, path, MM.properties, 'GetAll', 's', [iface])) as [Props];
    return props;
  }

  /** The first modem that can do SMS, or null. */
  async modem(): Promise<ModemInfo | null> {
    let objects: Record<string, Record<string, Props>>;
    try {
      [objects] = (await this.call(MM.service, MM.root, MM.objectManager, 'GetManagedObjects')) as [Record<string, Record<string, Props>>];
    } catch (err) {
      if (err instanceof ModemUnavailable) return null;
      throw err;
    }
    for (const path of Object.keys(objects).sort()) {
      const ifaces = objects[path]!;
      if (!ifaces[MM.messaging] || !ifaces[MM.modem]) continue;
      const m = ifaces[MM.modem]!;
      const signal = value<[number, boolean] | null>(m, 'SignalQuality', null);
      return {
        path,
        manufacturer: value(m, 'Manufacturer', ''),
        model: value(m, 'Model', ''),
        state: value(m, 'State', 0),
        signalPercent: signal ? signal[0] : null,
      };
    }
    return null;
  }

  /** Stores an outgoing SMS in ModemManager (not sent yet): its object path. */
  async create(modem: string, number: string, text: string, deliveryReport: boolean): Promise<string> {
    const { Variant } = dbus();
    const props = {
      number: new Variant('s', number),
      text: new Variant('s', text),
      'delivery-report-request': new Variant('b', deliveryReport),
    };
    const [path] = (await this.call(MM.service, modem, MM.messaging, 'Create', 'a{sv}', [props])) as [string];
    return path;
  }

  /** Sends a created SMS; resolves once the modem has handed every part to the network. */
  async send(sms: string): Promise<void> {
    await this.call(MM.service, sms, MM.sms, 'Send', '', [], 60_000);
  }

  /** An SMS object, or null when it is gone (deleted, or the modem was unplugged). */
  async read(sms: string): Promise<ModemSms | null> {
    let p: Props;
    try {
      p = await this.props(sms, MM.sms);
    } catch (err) {
      if (err instanceof ModemUnavailable) return null;
      throw err;
    }
    return {
      path: sms,
      state: value(p, 'State', 0),
      pduType: value(p, 'PduType', 0),
      number: value(p, 'Number', ''),
      text: value(p, 'Text', ''),
      timestamp: value(p, 'Timestamp', ''),
      deliveryState: value(p, 'DeliveryState', DELIVERY_UNKNOWN),
      messageReference: value(p, 'MessageReference', 0),
    };
  }

  async list(modem: string): Promise<string[]> {
    const [paths] = (await this.call(MM.service, modem, MM.messaging, 'List')) as [string[]];
    return paths;
  }

  async delete(modem: string, sms: string): Promise<void> {
    await this.call(MM.service, modem, MM.messaging, 'Delete', 'o', [sms]);
  }
}
