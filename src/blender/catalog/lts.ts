import { type RetryOptions, getText } from './http.js';

/**
 * The LTS series, from the documentation's version list: an object of
 * {"4.2": "4.2 (LTS)", "4.4": "4.4", "latest": "Latest (5.0)", ...}.
 */
export async function listLtsSeries(versionsUrl: string, retry?: RetryOptions): Promise<string[]> {
  const labels = JSON.parse(await getText(versionsUrl, retry)) as Record<string, unknown>;
  return Object.entries(labels)
    .filter(([key, title]) => /^\d+\.\d+$/.test(key) && typeof title === 'string' && /\bLTS\b/i.test(title))
    .map(([key]) => key);
}
