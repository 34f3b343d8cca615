/** The Node-only part (Electron main process, Node kiosks): the file journal. `import { FileJournal } from '@kiosk-telemetry/sdk/node'`. */
export { FileJournal, FILE_NAME, LOCK_NAME } from './journal-file';
export * from './index';
