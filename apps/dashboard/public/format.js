// Numbers and dates as officials read them: money in 万元/亿元 (from integer fen), thousands
// separators, ratios as % with one decimal, times in the Asia/Shanghai calendar whatever the
// browser's own time zone is.

export const TIME_ZONE = 'Asia/Shanghai';
const DASH = '—';

function locale(lang) {
  return lang === 'en' ? 'en-US' : 'zh-CN';
}

function grouped(value, lang, fractionDigits = 0) {
  return new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/**
 * Money from fen: below ¥10,000 in 元; below ¥100,000,000 in 万元 (two decimals); above in 亿元.
 * English uses the same units, spelled out, so the figures match the Chinese reports.
 */
export function formatFen(fen, lang) {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return DASH;
  const yuan = fen / 100;
  const magnitude = Math.abs(yuan);
  if (magnitude >= 1e8) {
    return `${grouped(yuan / 1e8, lang, 2)} ${lang === 'en' ? '100M yuan' : '亿元'}`;
  }
  if (magnitude >= 1e4) {
    return `${grouped(yuan / 1e4, lang, 2)} ${lang === 'en' ? '10k yuan' : '万元'}`;
  }
  return `${grouped(yuan, lang, 2)} ${lang === 'en' ? 'yuan' : '元'}`;
}

export function formatCount(count, lang) {
  if (count === null || count === undefined || !Number.isFinite(count)) return DASH;
  return grouped(count, lang, Number.isInteger(count) ? 0 : 1);
}

/** A ratio 0–1 as a percentage with one decimal: 0.9312 → 93.1%. */
export function formatRatio(ratio, lang) {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return `${grouped(ratio * 100, lang, 1)}%`;
}

export function formatHours(hours, lang) {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return DASH;
  return `${grouped(hours, lang, 1)} ${lang === 'en' ? 'h' : '小时'}`;
}

/** Any indicator value by its unit (`fen`, `count`, `hours`, `ratio`). */
export function formatValue(value, unit, lang) {
  switch (unit) {
    case 'fen':
      return formatFen(value, lang);
    case 'ratio':
      return formatRatio(value, lang);
    case 'hours':
      return formatHours(value, lang);
    default:
      return formatCount(value, lang);
  }
}

/** Year-on-year growth (同比) with its sign: +12.5% / −3.0%; — when there is no base. */
export function formatYoy(yoy, lang) {
  if (yoy === null || yoy === undefined || !Number.isFinite(yoy)) return DASH;
  const text = formatRatio(Math.abs(yoy), lang);
  return yoy > 0 ? `+${text}` : yoy < 0 ? `−${text}` : text;
}

function parts(date, options) {
  const formatted = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    ...options,
  }).formatToParts(date);
  return Object.fromEntries(formatted.map((part) => [part.type, part.value]));
}

/** An instant as YYYY-MM-DD HH:mm in Asia/Shanghai (the same text in both languages). */
export function formatDateTime(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  const p = parts(date, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Today's Asia/Shanghai calendar date as { year, month, day } strings (zero-padded). */
export function shanghaiToday(now = new Date()) {
  const p = parts(now, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return { year: p.year, month: p.month, day: p.day };
}

/** The concrete period a relative one means today: THIS_MONTH → 202611, THIS_YEAR → 2026. */
export function concretePeriod(relative, now = new Date()) {
  const { year, month, day } = shanghaiToday(now);
  if (relative === 'THIS_MONTH') return `${year}${month}`;
  if (relative === 'THIS_YEAR') return `${year}`;
  if (relative === 'TODAY') return `${year}${month}${day}`;
  return relative;
}

/** A period code as people write it: 2026年11月 / Nov 2026, 2026年第3季度, 11月22日. */
export function formatPeriod(period, lang) {
  const match = /^(\d{4})(?:(\d{2})(\d{2})?|Q([1-4]))?$/.exec(period ?? '');
  if (!match) return period ?? DASH;
  const [, year, month, day, quarter] = match;
  if (lang === 'en') {
    if (day) return `${year}-${month}-${day}`;
    if (month) return `${year}-${month}`;
    if (quarter) return `${year} Q${quarter}`;
    return year;
  }
  if (day) return `${Number(month)}月${Number(day)}日`;
  if (month) return `${year}年${Number(month)}月`;
  if (quarter) return `${year}年第${quarter}季度`;
  return `${year}年`;
}

/** A calendar day `2026-11-22` as people read it in the chosen language. */
export function formatDay(day, lang) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!match) return day ?? DASH;
  return lang === 'en' ? day : `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}
