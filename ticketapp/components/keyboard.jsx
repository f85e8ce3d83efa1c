// Keyboard access for signed-in pages: the command palette (Ctrl/Cmd-K), page shortcuts (the
// ticket list's j/k/Enter, the ticket page's r/n/a/e) and the help dialog (?). The browser does
// the moving and focusing; the server answers searches and decides where a choice leads
// (components/command_palette.py). Page elements a shortcut acts on carry `data-shortcut`.
import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
// Shared assets are laid out per Python module: components/i18n.py brings i18n.js.
import { i18nT } from "../i18n/i18n.js";
import { Button, Dialog, Flex, IconButton, Kbd } from "@radix-ui/themes";
import { Keyboard, Search } from "lucide-react";

const isMac = () => typeof navigator !== "undefined" && /Mac|iP(hone|ad)/.test(navigator.platform || "");
const WIDGET_ROLES = ["combobox", "listbox", "option", "menu", "menuitem", "slider", "spinbutton", "textbox", "grid"];

// True while the person types or works a widget that has its own keys: shortcuts stay quiet.
function busyElement(el) {
  if (!el || el === document.body) return false;
  const tag = el.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return true;
  return WIDGET_ROLES.includes(el.getAttribute("role"));
}

// Another dialog, menu or popup is open (a confirmation, a select's list): leave keys to it.
// One that is fading out (Radix marks it data-state="closed") no longer counts.
const POPUPS = '[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"], [data-radix-popper-content-wrapper]';
function popupOpen() {
  return Array.from(document.querySelectorAll(POPUPS)).some(
    (el) => el.getAttribute("data-state") !== "closed" && !el.querySelector(':scope > [data-state="closed"]'),
  );
}

function shortcut(name) {
  const el = document.querySelector(`[data-shortcut="${name}"]`);
  return el && !el.disabled && el.getAttribute("aria-disabled") !== "true" ? el : null;
}

// The ticket list: j/k move the highlighted row (its number link takes the focus), Enter opens.
function listRows() {
  return Array.from(document.querySelectorAll("tr[data-ticket]"));
}

function moveRow(step) {
  const rows = listRows();
  if (!rows.length) return;
  let at = rows.findIndex((row) => row.hasAttribute("data-kb-current"));
  if (at < 0) at = rows.findIndex((row) => row.contains(document.activeElement));
  const next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + step));
  rows.forEach((row) => row.removeAttribute("data-kb-current"));
  rows[next].setAttribute("data-kb-current", "");
  const link = rows[next].querySelector("th a, a");
  if (link) link.focus();
  rows[next].scrollIntoView({ block: "nearest" });
}

function openCurrentRow() {
  const row = document.querySelector("tr[data-ticket][data-kb-current]");
  const link = row && row.querySelector("th a, a");
  if (!link) return false;
  link.click();
  return true;
}

// The ticket page: r the public reply, n the internal note, a assign to me, e the status.
function writeIn(mode) {
  const choice = shortcut(mode);
  if (choice && choice.getAttribute("aria-checked") !== "true") choice.click();
  if (mode === "note" && !choice) return false; // requesters write no notes
  const box = shortcut("reply-body");
  if (!box) return false;
  box.focus();
  box.scrollIntoView({ block: "center" });
  return true;
}

function openStatus() {
  const trigger = document.getElementById("field-status");
  if (!trigger || trigger.disabled) return false;
  trigger.focus();
  trigger.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  return true;
}

const PAGE_KEYS = {
  list: {
    j: () => (moveRow(1), true),
    k: () => (moveRow(-1), true),
    Enter: openCurrentRow,
  },
  ticket: {
    r: () => writeIn("reply"),
    n: () => writeIn("note"),
    a: () => {
      const button = shortcut("assign-me");
      if (button) button.click();
      return !!button;
    },
    e: openStatus,
  },
};

// What the help dialog lists: [keys, msgid, scope ("" = everywhere), staff only].
const HELP = [
  [["mod", "K"], "Open the command palette", "", false],
  [["?"], "Show keyboard shortcuts", "", false],
  [["J"], "Next ticket", "list", true],
  [["K"], "Previous ticket", "list", true],
  [["Enter"], "Open the highlighted ticket", "list", true],
  [["R"], "Write a public reply", "ticket", false],
  [["N"], "Write an internal note", "ticket", true],
  [["A"], "Assign the ticket to me", "ticket", true],
  [["E"], "Change the status", "ticket", true],
  [["mod", "Enter"], "Send the reply or note", "ticket", false],
];
const HELP_SECTIONS = [
  ["", "Everywhere"],
  ["list", "Ticket list"],
  ["ticket", "Ticket page"],
];

function Keys({ keys }) {
  const mod = isMac() ? "⌘" : "Ctrl";
  return keys.map((key, i) => (
    <React.Fragment key={key}>
      {i > 0 && " + "}
      <Kbd>{key === "mod" ? mod : key}</Kbd>
    </React.Fragment>
  ));
}

// Opened by a key, not by a Dialog.Trigger: on close the focus goes back where it was.
function backTo(returnFocus) {
  return (event) => {
    event.preventDefault();
    // A dialog the choice opened (e.g. a macro's preview) keeps the focus.
    if (document.querySelector('[role="dialog"][data-state="open"]')) return;
    const el = returnFocus.current;
    if (el && el.isConnected && el.focus) el.focus();
  };
}

function HelpDialog({ open, onOpenChange, isStaff, locale, returnFocus }) {
  const tr = (msgid) => i18nT(msgid, locale);
  const sections = HELP_SECTIONS.map(([scope, title]) => [
    scope,
    title,
    HELP.filter(([, , s, staff]) => s === scope && (isStaff || !staff)),
  ]).filter(([, , lines]) => lines.length);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content maxWidth="32rem" aria-describedby={undefined} onCloseAutoFocus={backTo(returnFocus)}>
        <Dialog.Title>{tr("Keyboard shortcuts")}</Dialog.Title>
        {sections.map(([scope, title, lines]) => (
          <section key={title} aria-labelledby={`kb-help-${scope || "all"}`}>
            <h3 id={`kb-help-${scope || "all"}`} className="keys-help-heading">
              {tr(title)}
            </h3>
            <dl className="keys-help-list">
              {lines.map(([keys, msgid]) => (
                <div key={msgid}>
                  <dt>
                    <Keys keys={keys} />
                  </dt>
                  <dd>{tr(msgid)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <p className="keys-help-note">{tr("Shortcuts do not work while you type in a field.")}</p>
        <Flex justify="end" mt="3">
          <Dialog.Close>
            <Button type="button" variant="soft" color="gray">
              {tr("Close")}
            </Button>
          </Dialog.Close>
        </Flex>
      </Dialog.Content>
    </Dialog.Root>
  );
}

// The palette's choices: the ticket whose number was typed, the server's finds (tickets, and
// whatever command_palette.py's providers add, e.g. macros), a full search, the pages.
function paletteGroups(query, results, resultsFor, pages, isStaff, locale) {
  const tr = (msgid, params) => i18nT(msgid, locale, params);
  const q = query.trim();
  const groups = [];
  const number = q.replace(/^#/, "");
  if (/^\d{1,9}$/.test(number)) {
    groups.push([tr("Go to"), [{ id: `ticket:${number}`, label: tr("Open ticket #{number}", { number }), detail: "" }]]);
  }
  if (q && resultsFor === q) {
    const byGroup = new Map();
    for (const item of results) {
      if (item.id === `ticket:${number}` && groups.length) continue;
      const name = tr(item.group);
      if (!byGroup.has(name)) byGroup.set(name, []);
      byGroup.get(name).push(item);
    }
    groups.push(...byGroup.entries());
  }
  if (q && isStaff) {
    groups.push([tr("Search"), [{ id: `search:${q}`, label: tr("Search tickets for “{query}”", { query: q }), detail: "" }]]);
  }
  const needle = q.toLowerCase();
  const shown = pages
    .map((p) => ({ id: `page:${p.path}`, label: tr(p.label), detail: p.path }))
    .filter((p) => !needle || p.label.toLowerCase().includes(needle) || p.detail.includes(needle));
  if (shown.length) groups.push([tr("Pages"), shown]);
  return groups;
}

function Palette({ open, onOpenChange, pages, results, resultsFor, isStaff, locale, onQuery, onChoose, returnFocus }) {
  const tr = (msgid, params) => i18nT(msgid, locale, params);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const timer = useRef(null);
  const groups = useMemo(
    () => paletteGroups(query, results || [], resultsFor, pages || [], isStaff, locale),
    [query, results, resultsFor, pages, isStaff, locale],
  );
  const items = groups.flatMap(([, list]) => list);
  const waiting = query.trim() !== "" && resultsFor !== query.trim();

  useEffect(() => {
    if (!open) {
      setQuery("");
      setActive(0);
    }
  }, [open]);
  useEffect(() => setActive(0), [query, resultsFor]);
  useEffect(() => {
    const el = document.getElementById(`palette-option-${active}`);
    if (el) el.scrollIntoView({ block: "nearest" });
  }, [active]);

  const typed = (value) => {
    setQuery(value);
    clearTimeout(timer.current);
    if (value.trim()) timer.current = setTimeout(() => onQuery(value.trim()), 150);
  };
  const choose = (item) => {
    if (!item) return;
    onOpenChange(false);
    onChoose(item.id);
  };
  const onKeyDown = (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      if (items.length) setActive((active + step + items.length) % items.length);
    } else if (e.key === "Home" && e.ctrlKey) {
      setActive(0);
    } else if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      choose(items[active]);
    }
  };

  let index = -1;
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content maxWidth="36rem" aria-describedby="palette-hint" className="keys-palette" align="start" onCloseAutoFocus={backTo(returnFocus)}>
        <Dialog.Title size="3">{tr("Command palette")}</Dialog.Title>
        <p id="palette-hint" className="keys-palette-hint">
          {tr("Type a ticket number, words to search for, or a page. Arrow keys choose, Enter goes.")}
        </p>
        <input
          className="keys-palette-input"
          aria-label={tr("Search or jump to")}
          placeholder={tr("Ticket number, search words or page…")}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={items.length ? `palette-option-${active}` : undefined}
          value={query}
          onChange={(e) => typed(e.target.value)}
          onKeyDown={onKeyDown}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
        />
        <div id="palette-list" role="listbox" aria-label={tr("Results")} className="keys-palette-list">
          {groups.map(([name, list]) => (
            <div role="group" aria-label={name} key={name}>
              <div aria-hidden="true" className="keys-palette-group">
                {name}
              </div>
              {list.map((item) => {
                index += 1;
                const at = index;
                return (
                  <div
                    key={item.id}
                    id={`palette-option-${at}`}
                    role="option"
                    aria-selected={at === active}
                    className="keys-palette-option"
                    onMouseMove={() => at !== active && setActive(at)}
                    onClick={() => choose(item)}
                  >
                    <span>{item.label}</span>
                    {item.detail && <span className="keys-palette-detail">{item.detail}</span>}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        <p role="status" className="keys-palette-status">
          {waiting ? tr("Searching…") : query.trim() && !items.length ? tr("Nothing found.") : ""}
        </p>
      </Dialog.Content>
    </Dialog.Root>
  );
}

export function KeyboardLayer({ scope, role, isStaff, pages, results, resultsFor, locale, onQuery, onChoose }) {
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  const returnFocus = useRef(null);
  const openPalette = () => {
    if (!palette && !help) returnFocus.current = document.activeElement;
    setHelp(false);
    setPalette(true);
  };
  const openHelp = () => {
    if (!palette && !help) returnFocus.current = document.activeElement;
    setHelp(true);
  };
  const tr = (msgid) => i18nT(msgid, locale);
  const allowedPages = useMemo(() => (pages || []).filter((p) => (p.roles || []).includes(role)), [pages, role]);

  const onKeyDown = useCallback(
    (e) => {
      if (e.defaultPrevented || e.isComposing) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        openPalette();
        return;
      }
      const target = e.target;
      // Ctrl/Cmd-Enter in the reply box sends it (the one shortcut that works in a field).
      if (mod && e.key === "Enter" && target && target.matches && target.matches('[data-shortcut="reply-body"]')) {
        e.preventDefault();
        if (target.form) target.form.requestSubmit();
        return;
      }
      if (mod || e.altKey || busyElement(target) || busyElement(document.activeElement) || popupOpen()) return;
      if (e.key === "?") {
        e.preventDefault();
        openHelp();
        return;
      }
      const keys = PAGE_KEYS[scope] || {};
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if (e.shiftKey && key !== e.key.toLowerCase()) return;
      const action = keys[key];
      if (action && action()) e.preventDefault();
    },
    [scope, palette, help],
  );

  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onKeyDown]);

  const paletteKeys = isMac() ? "⌘K" : "Ctrl+K";
  return (
    <>
      <IconButton
        type="button"
        variant="ghost"
        color="gray"
        highContrast
        aria-label={tr("Command palette") + ` (${paletteKeys})`}
        title={tr("Command palette") + ` (${paletteKeys})`}
        aria-keyshortcuts={isMac() ? "Meta+K" : "Control+K"}
        onClick={openPalette}
      >
        <Search size={18} aria-hidden="true" />
      </IconButton>
      <IconButton
        type="button"
        variant="ghost"
        color="gray"
        highContrast
        aria-label={tr("Keyboard shortcuts")}
        title={tr("Keyboard shortcuts") + " (?)"}
        aria-keyshortcuts="?"
        onClick={openHelp}
      >
        <Keyboard size={18} aria-hidden="true" />
      </IconButton>
      <Palette
        open={palette}
        onOpenChange={setPalette}
        pages={allowedPages}
        results={results}
        resultsFor={resultsFor}
        isStaff={isStaff}
        locale={locale}
        onQuery={onQuery}
        onChoose={onChoose}
        returnFocus={returnFocus}
      />
      <HelpDialog open={help} onOpenChange={setHelp} isStaff={isStaff} locale={locale} returnFocus={returnFocus} />
    </>
  );
}
