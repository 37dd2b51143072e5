/** The mdns room: the hub advertises itself on the LAN; technicians' laptops find hubs. */
export { SERVICE_TYPE, type HubTxt } from './txt.js';
export { advertiseHub, AVAHI_SERVICE_FILE, nthName, type Advertiser } from './advertise.js';
export { browseHubs, type FoundHub } from './browse.js';
