// The web chat page (package webchat). Nothing is kept beyond this tab:
// the session token lives in sessionStorage only, never in a cookie; the
// conversation is shown from the server's stream and never stored here.
// Quick exit (the button or Escape) clears the session and replaces the
// page, so that the back button does not return to it.
(function () {
  "use strict";
  var STRINGS = {
    en: {
      exit: "Quick exit", exitHint: "(or press Esc)",
      notice: "Closing this tab ends the chat. Nothing is kept in this browser.",
      historyTitle: "Hide this visit",
      historyText: "This page keeps nothing, but your browser's history lists the site. To remove it, delete this site from your history (Ctrl+H on a computer; History in your phone browser's menu), or use a private window next time.",
      langLabel: "Language", countryLabel: "Where are you?", countryChoose: "Choose",
      US: "United States", CA: "Canada", MX: "Mexico", ZZ: "Somewhere else",
      logLabel: "Conversation", textLabel: "Your message", placeholder: "Type a message", send: "Send",
      slow: "Please wait a moment before sending more.", offline: "Connection lost. Trying again…",
      failed: "Your message did not go. Try again. If you are in danger now, call 911.", staff: "Team member", you: "You", bot: "Reply",
      start: "Write here to start. If you are in danger now, call 911.",
      erased: "This chat was erased. Nothing of it is kept here."
    },
    es: {
      exit: "Salir rápido", exitHint: "(o pulsa Esc)",
      notice: "Si cierras esta pestaña, el chat termina. No se guarda nada en este navegador.",
      historyTitle: "Ocultar esta visita",
      historyText: "Esta página no guarda nada, pero el historial de tu navegador muestra el sitio. Para quitarlo, borra este sitio de tu historial (Ctrl+H en una computadora; Historial en el menú del navegador de tu teléfono), o usa una ventana privada la próxima vez.",
      langLabel: "Idioma", countryLabel: "¿Dónde estás?", countryChoose: "Elige",
      US: "Estados Unidos", CA: "Canadá", MX: "México", ZZ: "Otro lugar",
      logLabel: "Conversación", textLabel: "Tu mensaje", placeholder: "Escribe un mensaje", send: "Enviar",
      slow: "Espera un momento antes de enviar más.", offline: "Se perdió la conexión. Reintentando…",
      failed: "Tu mensaje no se envió. Inténtalo de nuevo. Si estás en peligro ahora, llama al 911.", staff: "Persona del equipo", you: "Tú", bot: "Respuesta",
      start: "Escribe aquí para empezar. Si estás en peligro ahora, llama al 911.",
      erased: "Este chat se borró. No queda nada de él aquí."
    },
    fr: {
      exit: "Sortie rapide", exitHint: "(ou touche Échap)",
      notice: "Fermer cet onglet met fin à la discussion. Rien n'est gardé dans ce navigateur.",
      historyTitle: "Cacher cette visite",
      historyText: "Cette page ne garde rien, mais l'historique de ton navigateur montre le site. Pour l'enlever, supprime ce site de ton historique (Ctrl+H sur un ordinateur ; Historique dans le menu du navigateur de ton téléphone), ou utilise une fenêtre privée la prochaine fois.",
      langLabel: "Langue", countryLabel: "Où es-tu ?", countryChoose: "Choisis",
      US: "États-Unis", CA: "Canada", MX: "Mexique", ZZ: "Ailleurs",
      logLabel: "Conversation", textLabel: "Ton message", placeholder: "Écris un message", send: "Envoyer",
      slow: "Attends un peu avant d'en envoyer d'autres.", offline: "Connexion perdue. Nouvel essai…",
      failed: "Ton message n'est pas parti. Réessaie. Si tu es en danger maintenant, appelle le 911.", staff: "Membre de l'équipe", you: "Toi", bot: "Réponse",
      start: "Écris ici pour commencer. Si tu es en danger maintenant, appelle le 911.",
      erased: "Cette discussion a été effacée. Rien n'en reste ici."
    }
  };
  var KEY = "tipline.chat";
  var root = document.getElementById("chat");
  var exitURL = root.getAttribute("data-exit-url");
  var log = document.getElementById("log");
  var statusEl = document.getElementById("status");
  var form = document.getElementById("form");
  var text = document.getElementById("text");
  var langSel = document.getElementById("lang");
  var countrySel = document.getElementById("country");
  var embedded = window.top !== window.self;
  var state = load();
  // The gallery's "Seen this child?" opens /chat?case=<id>&lang=<xx>: the
  // chat starts on that case; the address then loses its query.
  var params = new URLSearchParams(window.location.search);
  var caseID = params.get("case") || "";
  var urlLang = STRINGS[params.get("lang")] ? params.get("lang") : "";
  if (window.location.search) { window.history.replaceState(null, "", window.location.pathname); }
  var lang = state.lang || urlLang || browserLang();
  var region = browserRegion();
  var cursor = 0, shown = {}, labels = {}, aborter = null, leaving = false;

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { window.sessionStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: the tab only */ }
  }
  function browserLang() {
    var tags = navigator.languages || [navigator.language || "en"];
    for (var i = 0; i < tags.length; i++) {
      var l = String(tags[i]).toLowerCase().split("-")[0];
      if (STRINGS[l]) { return l; }
    }
    return "en";
  }
  // browserRegion is the country part of the browser's language ("es-MX":
  // MX) when it is one the page offers; never an address lookup.
  function browserRegion() {
    var tags = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < tags.length; i++) {
      var p = String(tags[i]).toUpperCase().split("-");
      if (p.length > 1 && ["US", "CA", "MX"].indexOf(p[1]) >= 0) { return p[1]; }
    }
    return "";
  }
  function t(key) { return (STRINGS[lang] || STRINGS.en)[key] || STRINGS.en[key] || key; }

  function applyLang() {
    document.documentElement.lang = lang;
    langSel.value = lang;
    var els = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < els.length; i++) { els[i].textContent = t(els[i].getAttribute("data-i18n")); }
    log.setAttribute("aria-label", t("logLabel"));
    text.setAttribute("placeholder", t("placeholder"));
    var who = log.querySelectorAll(".who");
    for (var j = 0; j < who.length; j++) { who[j].textContent = t(who[j].getAttribute("data-who")) + ":"; }
  }

  function setStatus(s) { statusEl.textContent = s; }

  // quickExit forgets the session, empties the page and replaces it (and,
  // embedded, the organisation's page around it) with the exit URL.
  function quickExit() {
    if (leaving) { return; }
    leaving = true;
    try { window.sessionStorage.clear(); } catch (e) { /* nothing kept */ }
    state = {};
    if (aborter) { aborter.abort(); }
    log.replaceChildren();
    text.value = "";
    if (embedded) {
      window.parent.postMessage({ tipline: "exit" }, "*");
      // A frame may move the page around it only after a click; the
      // widget does it otherwise (Escape).
      var ua = navigator.userActivation;
      if (ua && ua.isActive) {
        try { window.top.location.replace(exitURL); } catch (e) { /* the widget does it */ }
      }
      window.location.replace("about:blank");
      return;
    }
    window.location.replace(exitURL);
  }

  // forget drops the session and what the page shows, after the
  // conversation was erased (DELETE): the next message starts afresh.
  function forget() {
    state = { lang: state.lang, country: state.country };
    save();
    if (aborter) { aborter.abort(); aborter = null; }
    log.replaceChildren();
    cursor = 0;
    shown = {};
  }

  function newID() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function session() {
    if (state.token) { return Promise.resolve(state.token); }
    return fetch("/chat/api/session", { method: "POST", cache: "no-store" }).then(function (res) {
      if (!res.ok) { throw new Error(res.status === 429 ? "slow" : "failed"); }
      return res.json();
    }).then(function (body) {
      state.token = body.token;
      save();
      if (embedded) { window.parent.postMessage({ tipline: "active" }, "*"); }
      stream();
      return state.token;
    });
  }

  function post(body) {
    body.id = newID();
    body.lang = region ? lang + "-" + region : lang;
    if (state.country) { body.country = state.country; }
    return session().then(function (token) {
      return fetch("/chat/api/send", {
        method: "POST", cache: "no-store",
        headers: { "Content-Type": "application/json", "X-Chat-Token": token },
        body: JSON.stringify(body)
      });
    }).then(function (res) {
      if (res.status === 401) { state = { lang: state.lang, country: state.country }; save(); throw new Error("failed"); }
      if (!res.ok) { throw new Error(res.status === 429 ? "slow" : "failed"); }
      setStatus("");
    }).catch(function (e) { setStatus(t(e.message === "slow" ? "slow" : "failed")); throw e; });
  }

  function show(m) {
    if (shown[m.id]) { return; }
    shown[m.id] = true;
    if (m.dir === "in" && m.text === "/start") { return; } // the opening of a case's chat
    var li = document.createElement("li");
    var who = m.dir === "in" ? "you" : (m.kind === "staff" ? "staff" : "bot");
    li.className = "msg " + m.dir + (m.kind === "staff" ? " staff" : "");
    li.setAttribute("data-id", String(m.id));
    var w = document.createElement("span");
    w.className = "who" + (who === "staff" ? "" : " sr-only");
    w.setAttribute("data-who", who);
    w.textContent = t(who) + ":";
    li.appendChild(w);
    var body = document.createElement("span");
    body.className = "text";
    body.textContent = m.dir === "in" ? pressed(m.text) : m.text;
    li.appendChild(body);
    if (m.options && m.options.length) {
      var opts = document.createElement("div");
      opts.className = "options";
      m.options.forEach(function (o) {
        labels[o.value] = o.label;
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = o.label;
        b.addEventListener("click", function () { post({ callback: o.value }).catch(function () {}); });
        opts.appendChild(b);
      });
      li.appendChild(opts);
    }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  // pressed shows a pressed option ("[value]") by the label it had.
  function pressed(s) {
    var m = /^\[(.*)\]$/.exec(s);
    return m && labels[m[1]] ? labels[m[1]] : s;
  }

  function handle(block) {
    var data = block.split("\n").filter(function (l) { return l.indexOf("data: ") === 0; })
      .map(function (l) { return l.slice(6); }).join("\n");
    if (!data) { return; }
    var ev = JSON.parse(data);
    if (ev.gone) { forget(); setStatus(t("erased")); return; }
    (ev.messages || []).forEach(show);
    if (ev.cursor > cursor) { cursor = ev.cursor; }
  }

  // stream reads the server-sent events of the session over fetch (the
  // token goes in a header, never the URL), reconnecting when it ends.
  function stream() {
    if (aborter || !state.token) { return; }
    aborter = new AbortController();
    var loop = function () {
      if (!state.token || leaving) { aborter = null; return; }
      fetch("/chat/api/stream?after=" + cursor, {
        headers: { "X-Chat-Token": state.token }, cache: "no-store", signal: aborter.signal
      }).then(function (res) {
        if (res.status === 401) { state = { lang: state.lang, country: state.country }; save(); aborter = null; return null; }
        if (!res.ok) { throw new Error("stream"); }
        setStatus("");
        var reader = res.body.getReader(), dec = new TextDecoder(), buf = "";
        var read = function () {
          return reader.read().then(function (r) {
            if (r.done) { return; }
            buf += dec.decode(r.value, { stream: true });
            var i;
            while ((i = buf.indexOf("\n\n")) >= 0) { handle(buf.slice(0, i)); buf = buf.slice(i + 2); }
            return read();
          });
        };
        return read().then(function () { return true; });
      }).then(function (again) {
        if (again) { loop(); }
      }).catch(function () {
        if (leaving || !state.token) { return; }
        setStatus(t("offline"));
        window.setTimeout(loop, 2000);
      });
    };
    loop();
  }

  document.getElementById("exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); quickExit(); }
  });
  // The widget around an embedded page asks it to exit when Escape is
  // pressed outside the frame: clear, then answer so that it leaves.
  window.addEventListener("message", function (e) {
    if (embedded && e.source === window.parent && e.data && e.data.tipline === "exit") { quickExit(); }
  });
  langSel.addEventListener("change", function () {
    lang = langSel.value;
    state.lang = lang;
    save();
    applyLang();
  });
  countrySel.addEventListener("change", function () {
    state.country = countrySel.value; // chosen: sent as the country
    save();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var s = text.value.trim();
    if (!s) { return; }
    post({ text: s }).then(function () { text.value = ""; }).catch(function () {});
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });

  countrySel.value = state.country || region;
  applyLang();
  if (state.token) {
    if (embedded) { window.parent.postMessage({ tipline: "active" }, "*"); }
    stream();
  }
  if (/^[A-Za-z0-9_-]{1,58}$/.test(caseID) && state.caseSent !== caseID) {
    state.caseSent = caseID;
    save();
    post({ case: caseID }).catch(function () {});
  }
  text.focus();
})();
