// The console's live updates: each server-sent "update" event (a new
// trace or invocation) makes the page fetch a fresh server-rendered
// fragment and swap it in, keeping open/closed sections as they were.
// The page also refreshes every 5 s for changes the events don't cover
// (uploads, new functions); searching filters in place, without a reload.
(() => {
  "use strict";
  const live = document.getElementById("live");
  const pill = document.getElementById("live-status");
  const form = document.getElementById("search");
  const input = form.querySelector("input[name=q]");
  if (!live) return;

  const seqOf = () => Number((document.getElementById("seq") || {}).dataset?.seq || 0);
  let lastSeq = seqOf();
  let inflight = false, again = false;
  // After a new search the server's choice of open sections (matches
  // open) wins over what was open before.
  let keepOpen = true;

  const query = () => new URLSearchParams(location.search).get("q") || "";

  async function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    const restore = keepOpen;
    keepOpen = true;
    try {
      const res = await fetch("/_console/fragment?q=" + encodeURIComponent(query()), { cache: "no-store" });
      if (!res.ok) return;
      const html = await res.text();
      const open = new Map();
      live.querySelectorAll("details[data-key]").forEach(d => open.set(d.dataset.key, d.open));
      live.innerHTML = html;
      if (restore) {
        live.querySelectorAll("details[data-key]").forEach(d => {
          if (open.has(d.dataset.key)) d.open = open.get(d.dataset.key);
        });
      }
      const fresh = [...live.querySelectorAll(".trace[data-seq]")].filter(t => Number(t.dataset.seq) > lastSeq);
      fresh.forEach(t => t.classList.add("fresh"));
      if (fresh.length) setTimeout(() => fresh.forEach(t => t.classList.remove("fresh")), 2400);
      lastSeq = Math.max(lastSeq, seqOf());
    } catch (e) {
      // The emulator may be restarting; the next event or tick retries.
    } finally {
      inflight = false;
      if (again) { again = false; refresh(); }
    }
  }

  function search(q) {
    const url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    input.value = q;
    lastSeq = Number.MAX_SAFE_INTEGER; // nothing is "new" in a search result
    keepOpen = false;
    refresh().then(() => { lastSeq = seqOf(); });
  }

  form.addEventListener("submit", e => { e.preventDefault(); search(input.value.trim()); });
  input.addEventListener("search", () => { if (!input.value) search(""); });
  // Ids and "clear search" are plain links (they work without script);
  // with script they filter in place.
  document.addEventListener("click", e => {
    const a = e.target.closest("a.q, a.clear");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    search(new URL(a.href).searchParams.get("q") || "");
    window.scrollTo({ top: 0 });
  });

  if ("EventSource" in window) {
    const es = new EventSource("/_console/events");
    es.addEventListener("update", refresh);
    // hello also follows a reconnect: catch up on what was missed.
    es.addEventListener("hello", () => { pill.textContent = "live"; pill.className = "pill on"; refresh(); });
    es.onerror = () => { pill.textContent = "reconnecting…"; pill.className = "pill off"; };
  }
  setInterval(() => { if (!document.hidden) refresh(); }, 5000);
})();
