/** What the fault suite did and saw, printed at its end: the figures issue 8 asks for. */
export class FaultTally {
  faultsInjected = 0;
  writesAcknowledged = 0;
  writesFound = 0;
  requestsFuzzed = 0;
  fiveXX = 0;
  /** One line per 5xx or lost write, enough to reproduce it. */
  readonly problems: string[] = [];
  readonly notes: string[] = [];

  problem(line: string): void {
    if (this.problems.length < 50) this.problems.push(line);
  }

  summary(): string {
    const lines = [
      'fault suite summary',
      `  faults injected:      ${this.faultsInjected}`,
      `  writes acknowledged:  ${this.writesAcknowledged}`,
      `  writes found after:   ${this.writesFound}`,
      `  requests fuzzed:      ${this.requestsFuzzed}`,
      `  5xx seen:             ${this.fiveXX}`,
      ...this.notes.map((n) => `  ${n}`),
      ...this.problems.map((p) => `  ! ${p}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
