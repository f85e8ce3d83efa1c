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
  return (rows || []).map((row) => ({ ...row, [key]: i18nT(row[key], locale) }));
}
