// The code prefix that selects a division and everything under it (the server's live filter uses
// the same rule): 370982000000 → 370982, 370982101000 → 370982101.

export function divisionPrefix(code) {
  if (code.length < 12) return code;
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}
