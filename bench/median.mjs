// The median of a list of numbers (the mean of the middle two for an even count), for every bench:
// the node scripts and the bench pages alike.

/** @param {number[]} xs @returns {number} */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
