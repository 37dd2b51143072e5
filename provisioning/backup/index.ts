/** The hub's data backed up each night to a USB stick, and put back with one command. */
export { backupTo, restoreFrom, listBackups, withBackupStick, withHubStopped, backupName, BACKUP_LABEL, BACKUP_DIR, type BackupResult } from './backup.js';
