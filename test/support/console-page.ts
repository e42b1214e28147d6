import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export const SCREENSHOT_DIR = resolve('test-output', 'sandbox-console');

/**
 * The sandbox console as a person uses it, in a real browser: type in the composer, switch user or
 * channel, click message buttons (confirming their dialog) and sandbox controls, read messages.
 */
export class ConsolePage {
  readonly screenshots: string[] = [];

  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, url: string): Promise<ConsolePage> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page
      .locator('body[data-ready="true"]')
      .waitFor({ timeout: 10_000 })
      .catch((error: unknown) => {
        throw new Error(`the console did not start${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`, { cause: error });
      });
    return new ConsolePage(page);
  }

  async type(command: string): Promise<void> {
    await this.page.locator('#composer-input').fill(command);
    await this.page.locator('#composer-input').press('Enter');
  }

  async actAs(userId: string): Promise<void> {
    await this.page.locator('#user').selectOption(userId);
  }

  async openChannel(name: string): Promise<void> {
    await this.page.locator('.channel-list li', { hasText: name }).first().click();
    await this.page.locator('#channel-name', { hasText: name }).waitFor();
  }

  /**
   * Opens the app's Home tab from the sidebar, as the acting user; resolves with the view the bot publishes
   * in answer (a new one: not the view shown before, if any).
   */
  async openHome(timeoutMs = 10_000): Promise<Locator> {
    const shown = this.page.locator('#home .home-view');
    const before = (await shown.count()) === 0 ? '' : ((await shown.first().getAttribute('data-hash')) ?? '');
    await this.page.locator('#home-entry').click();
    await this.page.locator('#channel-name', { hasText: 'nlb-ingress-bot' }).waitFor();
    const view = this.page.locator(`#home .home-view[data-hash]:not([data-hash="${before}"])`);
    await view.waitFor({ timeout: timeoutMs });
    return view;
  }

  /** The channel's sidebar entry (carries an unread count when messages arrive elsewhere). */
  channelEntry(name: string): Locator {
    return this.page.locator('.channel-list li', { hasText: name }).first();
  }

  /** The newest message that contains `text`; waits for it to appear. */
  async message(text: string, timeoutMs = 10_000): Promise<Locator> {
    const found = this.page.locator('#timeline article.msg', { hasText: text }).last();
    await found.waitFor({ timeout: timeoutMs });
    return found;
  }

  /** Clicks a Block Kit button; when it has a confirm dialog, answers it (confirm or deny). */
  async clickButton(label: string, options: { confirm?: boolean } = {}): Promise<void> {
    await this.page.locator('#timeline .bk-button', { hasText: label }).last().click();
    if (options.confirm === undefined) return;
    await this.page.locator('#confirm:not([hidden])').waitFor();
    await this.page.locator(options.confirm ? '#confirm-yes' : '#confirm-no').click();
    await this.page.locator('#confirm').waitFor({ state: 'hidden' });
  }

  /** Clicks a sandbox control, optionally the one in the panel entry that mentions `within`. */
  async control(label: string, within?: string): Promise<void> {
    const scope = within === undefined ? this.page.locator('#world') : this.page.locator('#world li', { hasText: within });
    await scope.locator('button.control', { hasText: label }).first().click();
  }

  controls(): Locator {
    return this.page.locator('#world');
  }

  /** Saves a PNG under test-output/ and prints its path with the test output. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    this.screenshots.push(path);
    process.stdout.write(`screenshot: ${path}\n`);
    return path;
  }
}

/** Waits until `locator` shows each text, or fails with what it does show. */
export async function expectText(locator: Locator, expected: readonly string[]): Promise<void> {
  for (const text of expected) {
    await locator
      .getByText(text, { exact: false })
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        throw new Error(`expected to see ${JSON.stringify(text)}; the element shows:\n${await locator.textContent()}`);
      });
  }
}
