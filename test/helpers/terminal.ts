import { execFileSync } from 'node:child_process';

/** A real terminal: tmux runs the command; its screen (and scrollback) is read as the user sees it. */
export class Terminal {
  constructor(readonly name: string) {}

  static start(name: string, command: string): Terminal {
    execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '160', '-y', '50', command]);
    execFileSync('tmux', ['set-option', '-t', name, 'history-limit', '50000']);
    return new Terminal(name);
  }

  screen(): string {
    try {
      return execFileSync('tmux', ['capture-pane', '-p', '-J', '-t', this.name, '-S', '-50000'], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  /** Waits until the screen, after `since` characters of it, matches `pattern`; returns where the match ends. */
  async waitFor(pattern: RegExp, since = 0, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen().slice(since);
      const match = pattern.exec(text);
      if (match) return since + match.index + match[0].length;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern} after ${since} characters; it shows:\n${this.screen().slice(since)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name]);
    } catch {
      // already gone
    }
  }
}
