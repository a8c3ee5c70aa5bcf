/**
 * The traces view's error line in the user's terms. The worker's messages about trace segments name
 * task parameters (ds_factor, segment_size, caps in sample values) that mean nothing to someone
 * looking at traces; they are said here as what to do in the view. Other messages (the relay is
 * down, a file is unreadable) are already about the data and pass through. Pure.
 */
const INTERNAL = /ds_factor|segment_size|segment_num|\bcap\b|raw values|pyramid|filter 'none'/i;

export function tracesErrorText(message: string, filtered: boolean): string {
  if (!INTERNAL.test(message)) return message;
  if (filtered && /filter/i.test(message)) return 'Filtered traces are not available at this zoom: zoom in, or uncheck “filtered” to see the raw data.';
  return 'The traces at this zoom could not be loaded: zoom in or show fewer channels, then retry.';
}

/** The notice shown while a filtered view is too wide to filter and raw data stands in. */
export function rawFallbackNotice(filteredWindowSec: number): string {
  const t = filteredWindowSec >= 120 ? `${Math.floor(filteredWindowSec / 60)} min` : `${Math.floor(filteredWindowSec * 10) / 10} s`;
  return `Filtered view not available at this zoom; showing raw. Zoom in to ${t} or less to see filtered traces.`;
}
