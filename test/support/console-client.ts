import type { WorldState } from '../../dev/sandbox/world-simulation.js';

/** The Home tab as the console shows it to one person. */
export interface HomeTabView {
  readonly html: string;
  /** The visible text, tags removed. */
  readonly text: string;
  /** When the bot published it (ISO), or null while it has published none for this person. */
  readonly publishedAt: string | null;
  /** Slack's hash of the view: a new one with every views.publish. */
  readonly hash: string | null;
}

export interface TimelineView {
  readonly entries: Array<{ key: string; html: string }>;
  /** The visible text of every entry, tags removed. */
  readonly text: string;
}

/** Calls the console's JSON endpoints the way its page does (same origin, JSON bodies). */
export class ConsoleClient {
  constructor(readonly url: string) {}

  async post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(new URL(path, this.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  }

  command(user: string, channel: string, text: string) {
    return this.post('/api/command', { user, channel, text });
  }

  click(user: string, channel: string, ts: string, block: number, element: number | 'accessory') {
    return this.post('/api/click', { user, channel, ts, block, element });
  }

  /** Opens the Home tab as `user`: the console sends the bot a signed app_home_opened, as Slack does. */
  openHome(user: string) {
    return this.post('/api/home', { user });
  }

  async home(user: string): Promise<HomeTabView> {
    const response = await fetch(new URL(`/api/home?user=${user}`, this.url));
    const { html, publishedAt, hash } = (await response.json()) as { html: string; publishedAt: string | null; hash: string | null };
    return { html, text: htmlText(html), publishedAt, hash };
  }

  /** Waits until the Home tab shows a view other than `previous` (any published view when absent) that satisfies `accept`. */
  async waitForHome(user: string, accept: (view: HomeTabView) => boolean, previous?: HomeTabView, timeoutMs = 8000): Promise<HomeTabView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.home(user);
      if (view.hash !== null && view.hash !== previous?.hash && accept(view)) return view;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the Home tab of ${user}; it shows:\n${view.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Listens to the console's server-sent events, as its page does; resolves once the stream says it is
   * connected. `text()` is everything received so far; `close()` ends the stream.
   */
  async events(): Promise<{ text(): string; close(): void }> {
    const controller = new AbortController();
    const stream = await fetch(new URL('/api/events', this.url), { signal: controller.signal });
    const reader = stream.body!.getReader();
    const received: string[] = [];
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received.push(new TextDecoder().decode(value));
      }
    })().catch(() => undefined);
    const text = () => received.join('');
    const deadline = Date.now() + 5000;
    while (!text().includes(': connected')) {
      if (Date.now() > deadline) throw new Error('the console’s event stream did not say it is connected');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { text, close: () => controller.abort() };
  }

  control(name: string, body: unknown) {
    return this.post(`/api/controls/${name}`, body);
  }

  async world(): Promise<WorldState> {
    return ((await (await fetch(new URL('/api/world', this.url))).json()) as { state: WorldState }).state;
  }

  async timeline(user: string, channel: string): Promise<TimelineView> {
    const response = await fetch(new URL(`/api/timeline?user=${user}&channel=${channel}`, this.url));
    const { entries } = (await response.json()) as { entries: Array<{ key: string; html: string }> };
    return { entries, text: entries.map((entry) => htmlText(entry.html)).join('\n') };
  }

  /** Waits until the timeline shows `expected`. */
  waitForText(user: string, channel: string, expected: string | RegExp, timeoutMs = 8000): Promise<TimelineView> {
    const matches = (view: TimelineView) => (typeof expected === 'string' ? view.text.includes(expected) : expected.test(view.text));
    return this.waitForView(user, channel, matches, String(expected), timeoutMs);
  }

  /** Polls the timeline until `accept` holds, or fails showing what it last saw. */
  async waitForView(
    user: string,
    channel: string,
    accept: (view: TimelineView) => boolean,
    what: string,
    timeoutMs = 8000,
  ): Promise<TimelineView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.timeline(user, channel);
      if (accept(view)) return view;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what} in ${channel} as ${user}; the timeline shows:\n${view.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export function htmlText(html: string): string {
  return html
    .replace(/<br>|<\/?(?:div|article|pre|hr|li|ul|section|h\d)\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n');
}
