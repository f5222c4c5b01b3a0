// Live refresh of the dashboard: fetch the server-rendered sections and swap the changed ones.
// No framework and nothing external; the page works (without refresh) when scripts are off.
"use strict";

(() => {
  const main = document.getElementById("dashboard");
  if (!main) return;
  const url = main.dataset.poll;
  const interval = Number(main.dataset.interval) || 1500;
  const live = document.getElementById("live");
  // The markup the server last sent per section: the live DOM gains "fresh" classes, so it
  // cannot be compared with the next answer itself.
  const lastMarkup = new Map();
  for (const section of main.querySelectorAll(":scope > section[id]")) {
    lastMarkup.set(section.id, section.outerHTML);
  }

  const rowKeys = (element) =>
    new Set(Array.from(element.querySelectorAll("tr[data-key]"), (row) => row.dataset.key));

  const setLive = (ok, detail) => {
    if (!live) return;
    live.classList.toggle("offline", !ok);
    live.querySelector(".live-label").textContent = ok ? "live" : "offline, retrying";
    live.querySelector(".live-time").textContent = ok
      ? `updated ${new Date().toLocaleTimeString([], { hour12: false })}`
      : detail;
  };

  const swap = (fresh) => {
    const markup = fresh.outerHTML;
    if (lastMarkup.get(fresh.id) === markup) return;
    lastMarkup.set(fresh.id, markup);
    const current = document.getElementById(fresh.id);
    if (!current) {
      main.appendChild(fresh);
      return;
    }
    const known = rowKeys(current);
    for (const row of fresh.querySelectorAll("tr[data-key]")) {
      if (!known.has(row.dataset.key)) row.classList.add("fresh");
    }
    // Keep expanded <details> expanded across the swap.
    const open = new Set(
      Array.from(current.querySelectorAll("details[open] > summary"), (s) => s.textContent),
    );
    for (const summary of fresh.querySelectorAll("details > summary")) {
      if (open.has(summary.textContent)) summary.parentElement.open = true;
    }
    current.replaceWith(fresh);
  };

  const refresh = async () => {
    try {
      const response = await fetch(url, { cache: "no-store", headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      // The fragment's top-level sections (":scope" does not match a DocumentFragment).
      for (const fresh of Array.from(template.content.children)) {
        if (fresh.localName === "section" && fresh.id) swap(fresh);
      }
      main.dataset.refreshed = String(Number(main.dataset.refreshed || 0) + 1);
      setLive(true, "");
    } catch (error) {
      setLive(false, String(error.message || error));
    }
  };

  const loop = async () => {
    if (!document.hidden) await refresh();
    window.setTimeout(loop, interval);
  };
  setLive(true, "");
  window.setTimeout(loop, interval);
})();
