// Tipline staff dashboard: live refresh of the queue, a sound and a title
// badge when a new urgent tip arrives, confirmations, select-all. No
// framework, no build step; everything works without it too.
(function () {
  "use strict";
  var body = document.body;
  var stateURL = body.getAttribute("data-state");
  var liveEl = document.getElementById("live");
  var live = liveEl !== null;
  var baseTitle = document.title;
  var audio = null;

  // Browsers allow sound only after a user gesture: prepare it on the first one.
  document.addEventListener("click", function () {
    if (!audio && window.AudioContext) { audio = new AudioContext(); }
  }, { once: true });

  function beep() {
    if (!audio) { return; }
    var o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = 880; g.gain.value = 0.2;
    o.connect(g); g.connect(audio.destination);
    o.start(); o.stop(audio.currentTime + 0.4);
  }

  function known(key) { return parseInt(sessionStorage.getItem(key) || "0", 10); }

  function busy() {
    var a = document.activeElement;
    if (a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT")) { return true; }
    var typed = document.querySelector("textarea");
    if (typed && typed.value !== "") { return true; }
    return document.querySelector("input[name=id]:checked") !== null;
  }

  function poll() {
    fetch(stateURL, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401 || r.redirected) { window.location.assign("/staff/login"); return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        if (!s) { return; }
        var waiting = s.urgent_new + s.open_pages;
        document.title = (waiting > 0 ? "(" + waiting + ") " : "") + baseTitle;
        var badge = document.getElementById("pages-badge");
        if (badge) { badge.textContent = s.open_pages > 0 ? " (" + s.open_pages + ")" : ""; }
        var fresh = false;
        [["urgentMax", s.urgent_max_id], ["pageMax", s.page_max_id]].forEach(function (p) {
          if (p[1] > known(p[0])) {
            fresh = fresh || known(p[0]) > 0;
            sessionStorage.setItem(p[0], String(p[1]));
          }
        });
        if (fresh) { beep(); }
        var shown = live ? parseInt(liveEl.getAttribute("data-newest") || "0", 10) : 0;
        if (live && s.newest_id !== shown && !busy()) { window.location.reload(); }
      })
      .catch(function () {});
  }

  if (stateURL) { poll(); setInterval(poll, 15000); }

  // A chat page reloads when a new message arrives, unless staff are typing.
  var chat = document.getElementById("live-chat");
  if (chat) {
    setInterval(function () {
      fetch(chat.getAttribute("data-url"), { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (s && String(s.last_id) !== chat.getAttribute("data-last") && !busy()) { window.location.reload(); }
        })
        .catch(function () {});
    }, 5000);
  }

  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=id]").forEach(function (c) { c.checked = all.checked; });
    });
  }

  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
