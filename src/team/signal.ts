/** A broadcast "something changed": `next()` resolves at the next `fire()`. */
export class ChangeSignal {
  private waiters: (() => void)[] = [];

  fire(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
