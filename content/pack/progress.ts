/** Progress of a long pack operation, in bytes of entries; the CLI turns it into a bar or lines. */
export interface ProgressEvent {
  phase: 'build' | 'verify' | 'write';
  done: number;
  total: number;
}
export type PackProgress = (event: ProgressEvent) => void;
