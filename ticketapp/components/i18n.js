// Page text in the tab's language: the lookup behind components/i18n.py's t() and tn().
// The catalogs (i18n_catalogs.js) are generated from the gettext catalogs by
// `python -m ticketapp.i18n.compile`; a msgid without a translation shows as written.
import { catalogs } from "./i18n_catalogs.js";

const LOCALES = ["en", "ru", "pl", "lv"];

function supported(tag) {
  const code = String(tag || "").replace("_", "-").split("-")[0].trim().toLowerCase();
  return LOCALES.includes(code) ? code : "";
}

function browserLocale() {
  if (typeof navigator === "undefined") return "en";
  for (const tag of navigator.languages || [navigator.language]) {
    const code = supported(tag);
    if (code) return code;
  }
  return "en";
}

// The tab's locale var when set (the user's setting or the switcher), else the browser's.
export function i18nLocale(locale) {
  return supported(locale) || browserLocale();
}

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params && params[name] !== null && params[name] !== undefined
      ? String(params[name])
      : whole,
  );
}

export function i18nT(msgid, locale, params) {
  const catalog = catalogs[i18nLocale(locale)];
  const text = catalog && catalog.messages[msgid];
  return fill(typeof text === "string" && text ? text : msgid, params);
}

export function i18nTn(singular, plural, n, locale, params) {
  const count = Number(n);
  const catalog = catalogs[i18nLocale(locale)];
  const forms = catalog && catalog.messages[singular];
  let text = count === 1 ? singular : plural;
  if (Array.isArray(forms) && forms.every((form) => form)) {
    text = forms[catalog.plural(count)] ?? forms[forms.length - 1];
  }
  return fill(text, { n: count, ...(params || {}) });
}

// Rows of data (chart points, table rows) whose `key` holds a msgid, in the tab's language.
export function i18nRows(rows, key, locale) {
  return (rows || []).map((row) => ({ ...row, [key]: i18nShown(row[key], locale) }));
}

// Text made on the server for readers of every language (ticketapp.i18n.later): "i18n:" and
// JSON {id, pl?, n?, p?}; a parameter may be such a message itself or a value to format here
// ({min, h?}: a duration, {pct}: a share, {num, dp}: a number, {date}: a day). Anything else
// is a msgid (looked up) or text shown as written.
const LATER_PREFIX = "i18n:";

function unit(n, name, locale) {
  return new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "narrow" }).format(n);
}

function duration(minutes, hoursOnly, locale) {
  const total = Math.round(Math.abs(Number(minutes) || 0));
  const days = hoursOnly ? 0 : Math.floor(total / 1440);
  const rest = hoursOnly ? total : total % 1440;
  const parts = [
    [days, "day"],
    [Math.floor(rest / 60), "hour"],
  ].filter(([n]) => n);
  if (rest % 60 || !parts.length) parts.push([rest % 60, "minute"]);
  return parts
    .slice(0, 2)
    .map(([n, name]) => unit(n, name, locale))
    .join(" ");
}

function laterParam(value, locale) {
  if (!value || typeof value !== "object") return value; // a name, a title, a number: as given
  if ("id" in value) return laterMessage(value, locale);
  if ("min" in value) return duration(value.min, value.h, locale);
  if ("pct" in value) {
    const digits = { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 };
    return new Intl.NumberFormat(locale, digits).format(value.pct);
  }
  if ("num" in value) {
    const dp = value.dp || 0;
    return new Intl.NumberFormat(locale, { minimumFractionDigits: dp, maximumFractionDigits: dp }).format(value.num);
  }
  if ("date" in value) {
    const day = new Date(`${value.date}T00:00:00Z`);
    return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(day);
  }
  return String(value);
}

function laterMessage(data, locale) {
  if (!("id" in data)) return String(laterParam(data, locale));
  const params = {};
  for (const [key, value] of Object.entries(data.p || {})) params[key] = laterParam(value, locale);
  return "pl" in data ? i18nTn(data.id, data.pl, data.n, locale, params) : i18nT(data.id, locale, params);
}

export function i18nShown(text, locale) {
  if (typeof text !== "string" || !text.startsWith(LATER_PREFIX)) return i18nT(text, locale);
  try {
    return laterMessage(JSON.parse(text.slice(LATER_PREFIX.length)), i18nLocale(locale));
  } catch (error) {
    return text;
  }
}
