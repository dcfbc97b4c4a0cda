// Tipline simulator page: sends what the trainer types to /sim/api/send and
// polls /sim/api/messages, showing each bot answer as SMS and as Telegram.
// No inline script or style is allowed (CSP): everything is built with DOM
// calls and textContent, never innerHTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const hints = {
    youth: 'Playing a youth. Try "hi", "I need somewhere to sleep tonight" or HELP.',
    tipster: 'Playing a tipster. Try "hi", then choose to report a sighting, or type REPORT.',
  };
  let lastJSON = "";
  let sending = false;

  function role() {
    const r = document.querySelector('input[name="role"]:checked');
    return r ? r.value : "youth";
  }

  function showError(msg) {
    const e = $("error");
    e.textContent = msg || "";
    e.hidden = !msg;
  }

  async function post(path, body) {
    const res = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      throw new Error(data.error || "request failed (" + res.status + ")");
    }
    return data;
  }

  async function send(input) {
    if (sending) return;
    sending = true;
    $("send").disabled = true;
    try {
      await post("/sim/api/send", Object.assign({ role: role() }, input));
      showError("");
      await refresh();
      setTimeout(refresh, 300);
    } catch (err) {
      showError(err.message);
    } finally {
      sending = false;
      $("send").disabled = false;
    }
  }

  async function refresh() {
    try {
      const res = await fetch("/sim/api/messages", { credentials: "same-origin", cache: "no-store" });
      if (!res.ok) throw new Error("could not load the conversation (" + res.status + ")");
      const text = await res.text();
      if (text !== lastJSON) {
        lastJSON = text;
        render(JSON.parse(text));
      }
    } catch (err) {
      showError(err.message);
    }
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(data) {
    const c = data.conversation;
    $("conv").textContent = c
      ? "Conversation " + c.alias + " · " + c.kind + " · simulated" + (c.high_risk ? " · flagged high risk" : "")
      : "No conversation yet: say something.";
    const msgs = data.messages || [];
    const labels = buttonLabels(msgs);
    renderSMS(msgs, labels);
    renderWhatsApp(msgs, labels);
    renderTelegram(msgs, labels);
  }

  // buttonLabels maps every inline button's callback value to its label.
  function buttonLabels(msgs) {
    const labels = new Map();
    for (const m of msgs) {
      if (m.dir !== "out" || m.telegram.keyboard) continue;
      for (const b of m.telegram.buttons || []) labels.set(b.value, b.label);
    }
    return labels;
  }

  function inbound(m, text) {
    const li = el("li", "msg in");
    li.appendChild(el("span", "who", "you (" + role() + ")"));
    li.appendChild(el("div", "text", text));
    return li;
  }

  function outMeta(m) {
    return el("span", "status status-" + m.status, m.kind === "staff" ? "staff · " + m.status : m.status);
  }

  function renderSMS(msgs, labels) {
    const log = $("sms-log");
    log.replaceChildren();
    for (const m of msgs) {
      if (m.dir !== "out") {
        log.appendChild(inbound(m, pressedLabel(m.body, labels)));
        continue;
      }
      const li = el("li", "msg out" + (m.sms.too_long ? " too-long" : ""));
      li.appendChild(el("div", "text", m.sms.text));
      const seg = m.sms.segments === 1 ? "1 segment" : m.sms.segments + " segments";
      let meta = m.sms.encoding + " · " + seg + " · " + m.sms.units + (m.sms.encoding === "GSM-7" ? " septets" : " code units");
      if (m.sms.too_long) meta += " · over 3 segments: the provider would refuse it";
      const p = el("p", "meta", meta + " · ");
      p.appendChild(outMeta(m));
      li.appendChild(p);
      log.appendChild(li);
    }
    log.scrollTop = log.scrollHeight;
  }

  // renderWhatsApp shows the replies as WhatsApp does: one message each,
  // numbered options, its length against Twilio's 1600 characters.
  function renderWhatsApp(msgs, labels) {
    const log = $("wa-log");
    log.replaceChildren();
    for (const m of msgs) {
      if (m.dir !== "out") {
        log.appendChild(inbound(m, pressedLabel(m.body, labels)));
        continue;
      }
      if (!m.whatsapp) continue;
      const li = el("li", "msg out" + (m.whatsapp.too_long ? " too-long" : ""));
      li.appendChild(el("div", "text", m.whatsapp.text));
      let meta = m.whatsapp.chars + " characters";
      if (m.whatsapp.too_long) meta += " · over 1600: the provider would refuse it";
      const p = el("p", "meta", meta + " · ");
      p.appendChild(outMeta(m));
      li.appendChild(p);
      log.appendChild(li);
    }
    log.scrollTop = log.scrollHeight;
  }

  // pressedLabel shows a Telegram button press (stored as "[value]") as the
  // label pressed, and a shared location as such.
  function pressedLabel(body, labels) {
    const m = /^\[(.*)\]$/.exec(body);
    if (!m) return body;
    if (m[1] === "location") return "📍 Location";
    return labels.has(m[1]) ? "▸ " + labels.get(m[1]) : body;
  }

  function renderTelegram(msgs, labels) {
    const log = $("tg-log");
    log.replaceChildren();
    let lastOut = null;
    for (const m of msgs) {
      if (m.dir !== "out") {
        log.appendChild(inbound(m, pressedLabel(m.body, labels)));
        continue;
      }
      lastOut = m;
      const li = el("li", "msg out");
      li.appendChild(el("div", "text", m.telegram.text));
      const buttons = m.telegram.buttons || [];
      if (buttons.length && !m.telegram.keyboard) {
        const kb = el("div", "inline");
        for (const b of buttons) {
          const btn = el("button", "tg-btn", b.label);
          btn.type = "button";
          btn.dataset.value = b.value;
          btn.addEventListener("click", () => send({ callback: b.value }));
          kb.appendChild(btn);
        }
        li.appendChild(kb);
      }
      const p = el("p", "meta");
      p.appendChild(outMeta(m));
      li.appendChild(p);
      log.appendChild(li);
    }
    renderKeyboard(lastOut);
    log.scrollTop = log.scrollHeight;
  }

  // renderKeyboard shows the reply keyboard of the latest bot message.
  function renderKeyboard(m) {
    const kb = $("tg-keyboard");
    kb.replaceChildren();
    const buttons = m && m.telegram.keyboard ? m.telegram.buttons || [] : [];
    kb.hidden = buttons.length === 0;
    for (const b of buttons) {
      const label = b.kind === "location" ? b.label + " Share location" : b.label;
      const btn = el("button", "tg-key" + (b.kind === "location" ? " tg-key-loc" : ""), label);
      btn.type = "button";
      btn.addEventListener("click", () => {
        if (b.kind === "location") {
          $("loc").open = true;
          $("loc-coords").focus();
        } else {
          send({ text: b.label });
        }
      });
      kb.appendChild(btn);
    }
  }

  function parseCoords(s) {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
    if (!m) return null;
    const lat = parseFloat(m[1]);
    const lon = parseFloat(m[2]);
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
    return { lat: lat, lon: lon };
  }

  function setup() {
    const saved = window.localStorage.getItem("tipline-sim-role");
    if (saved) {
      const r = document.querySelector('input[name="role"][value="' + (saved === "tipster" ? "tipster" : "youth") + '"]');
      if (r) r.checked = true;
    }
    $("hint").textContent = hints[role()];
    for (const r of document.querySelectorAll('input[name="role"]')) {
      r.addEventListener("change", () => {
        window.localStorage.setItem("tipline-sim-role", role());
        $("hint").textContent = hints[role()];
        lastJSON = "";
        refresh();
      });
    }
    $("composer").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const t = $("text").value;
      if (!t.trim() || sending) return;
      $("text").value = "";
      send({ text: t });
    });
    $("new").addEventListener("click", async () => {
      try {
        await post("/sim/api/new", {});
        lastJSON = "";
        showError("");
        await refresh();
      } catch (err) {
        showError(err.message);
      }
    });
    $("loc-preset").addEventListener("change", () => {
      $("loc-coords").value = $("loc-preset").value.replace(",", ", ");
    });
    $("loc-send").addEventListener("click", () => {
      const loc = parseCoords($("loc-coords").value);
      if (!loc) {
        showError("Type a latitude and a longitude, such as 40.758, -73.9855, or pick a place.");
        return;
      }
      $("loc").open = false;
      send({ location: loc });
    });
    refresh();
    setInterval(refresh, 1000);
  }

  setup();
})();
