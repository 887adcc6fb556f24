/**
 * The prefix that names a division and everything inside it: 370982000000 (新泰市, a county) is
 * 370982, 370900000000 (泰安市) is 3709, 370982101000 (a town) is 370982101.
 */
export function divisionPrefix(divisionCode: string): string {
  if (/^\d{2}0{10}$/.test(divisionCode)) return divisionCode.slice(0, 2);
  if (/^\d{4}0{8}$/.test(divisionCode)) return divisionCode.slice(0, 4);
  if (/^\d{6}0{6}$/.test(divisionCode)) return divisionCode.slice(0, 6);
  if (/^\d{9}0{3}$/.test(divisionCode)) return divisionCode.slice(0, 9);
  return divisionCode;
}

/** True when `inner` lies inside the region `outer` (a 12-digit code). */
export function isInsideDivision(inner: string, outer: string): boolean {
  return inner.startsWith(divisionPrefix(outer));
}
