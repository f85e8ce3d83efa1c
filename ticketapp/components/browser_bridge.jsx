// What the server asks of the page, done by code shipped in the build (the Content-Security-Policy
// allows no string evaluation): each component reacts to a prop the server changes.
import React, { useEffect, useRef } from "react";
import { toast } from "sonner";
import { refs } from "$/utils/state";

// Posts a one-time sign-in code to the backend, whose answer sets the HttpOnly session cookie.
// Each code once: a page loaded later with the same (spent) code in its state posts nothing.
export function SessionHandoff({ action, code, next }) {
  const form = useRef(null);
  useEffect(() => {
    if (!code || !form.current) return;
    if (sessionStorage.getItem("ticketapp_handoff") === code) return;
    sessionStorage.setItem("ticketapp_handoff", code);
    form.current.submit();
  }, [code]);
  return (
    <form ref={form} method="post" action={action} hidden>
      <input type="hidden" name="code" value={code || ""} readOnly />
      <input type="hidden" name="next" value={next || ""} readOnly />
    </form>
  );
}

// Sends what the browser keeps for the app's state (page-readable cookies, localStorage,
// sessionStorage; `names` maps each state key to its storage name) when `request` changes.
export function StorageRecall({ request, names, onRecall }) {
  useEffect(() => {
    if (!request) return;
    const out = {};
    const jar = {};
    for (const c of document.cookie.split("; ")) {
      const i = c.indexOf("=");
      if (i > 0) jar[c.slice(0, i)] = decodeURIComponent(c.slice(i + 1));
    }
    for (const [key, name] of Object.entries(names?.cookies || {}))
      if (name in jar) out[key] = jar[name];
    for (const [key, name] of Object.entries(names?.local_storage || {})) {
      const value = localStorage.getItem(name);
      if (value !== null) out[key] = value;
    }
    for (const [key, name] of Object.entries(names?.session_storage || {})) {
      const value = sessionStorage.getItem(name);
      if (value !== null) out[key] = value;
    }
    onRecall(out);
  }, [request]);
  return null;
}

// Moves the focus to the first element matching `selector` when `request` changes (after the
// render that marked it).
export function FocusFirst({ request, selector }) {
  useEffect(() => {
    if (!request) return;
    const timer = setTimeout(() => document.querySelector(selector)?.focus(), 50);
    return () => clearTimeout(timer);
  }, [request]);
  return null;
}

// Shows the toast a handler sent (state var {id, level, message}, see ticketapp/toasts.py), once:
// a later page, or a reload, holding the same toast shows nothing.
export function ToastBridge({ shown }) {
  useEffect(() => {
    if (!shown?.id || sessionStorage.getItem("ticketapp_toast") === shown.id) return;
    sessionStorage.setItem("ticketapp_toast", shown.id);
    (toast[shown.level] || toast)(shown.message);
  }, [shown?.id]);
  return null;
}

// A plain HTML form the browser posts itself (Reflex's own forms always prevent that): the
// answer, a redirect with Set-Cookie, is what clears an HttpOnly cookie.
export function PostForm({ action, children }) {
  return (
    <form method="post" action={action} style={{ display: "contents" }}>
      {children}
    </form>
  );
}

// Clears an upload box's picked files (Reflex's own server-sent clear is a script string):
// `request` is {id, nonce}; a new nonce clears the box with that id.
export function FileClearer({ request }) {
  useEffect(() => {
    if (!request?.nonce) return;
    refs["__clear_selected_files"]?.(request.id);
  }, [request?.nonce]);
  return null;
}
