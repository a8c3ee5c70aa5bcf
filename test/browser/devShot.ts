/** Dev helper: `npx tsx test/browser/devShot.ts URL out.png [waitMs] [w] [h]` (prints console errors). Not a test. */
import { launchChromium } from './chromium';

const [url, out, wait = '6000', w = '1500', h = '950'] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${m.type()}] ${m.text()}`); });
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(url);
await page.waitForTimeout(Number(wait));
await page.screenshot({ path: out });
console.log(await page.evaluate(() => location.search));
await browser.close();
