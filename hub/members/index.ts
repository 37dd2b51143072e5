/**
 * The members room: people registered at a space (with consent) who were given a member code
 * (printed on a card with a QR code), a display name they chose and a short PIN. They sign in
 * on the portal (code + PIN, or through the facilitator at the kiosk) to post, support, apply.
 * See README.md for the API other rooms use.
 */
export { Members, memberOf, MEMBER_COOKIE, type SignedInMember } from './members.js';
export { MemberStore, PinWaitError, suspensionId, type MemberView, type MemberStoreOptions } from './store.js';
export { MemberSessions, type MemberSession } from './session.js';
export { newMemberCode, normaliseCode } from './codes.js';
export { Pin, hashPin, verifyPin } from './pin.js';
