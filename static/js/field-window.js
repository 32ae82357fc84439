// Whether a site is open at a moment, from the opening windows the server computed with the
// site's own rules (markets.models.Site.opening_windows): the phone never repeats the dates,
// hours or Morocco's clock changes, it only compares a moment with [opens, closes) pairs.
// Kept in its own module so that node's test runner checks it against Site.is_open_at.

// windows: [[opens, closes], ...] as ISO 8601 UTC strings; moment: a Date.
export function openAt(windows, moment) {
  const at = moment.getTime();
  return windows.some(([opens, closes]) => Date.parse(opens) <= at && at < Date.parse(closes));
}
