/** The SMS room: the GSM modem through ModemManager, the queue on disk, keywords, templates and notices. */
export { SmsService, type SmsStatus, type SmsState, type SmsServiceOptions } from './service.js';
export { measureSms, isGsm7, type SmsLength, type SmsEncoding } from './encoding.js';
export { parseSms, foldSms, type SmsCommand, type SmsLang } from './keywords.js';
export { renderTemplate, templateCosts, TEMPLATES, type TemplateName, type TemplateCost } from './templates.js';
export { normalisePhone, maskPhone } from './phone.js';
export { MM, SMS_STATE, PDU_TYPE, DELIVERY_UNKNOWN, type ModemSms } from './modem.js';
export { findTrade } from './inbox.js';
export {
  openSmsDb,
  page as smsPage,
  count as smsCount,
  all as smsAll,
  smsDocOf,
  asSms,
  type OutDoc,
  type InDoc,
  type OptOutDoc,
  type PendingDoc,
  type OutState,
} from './store.js';
