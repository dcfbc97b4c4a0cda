// Tipline staff dashboard: a live SMS segment count under each reply box
// that goes to someone on SMS (a textarea with data-sms-max), counted the
// way package sms counts (GSM-7 or UCS-2, concatenation headers, the
// typographic characters sent as their plain look-alikes), including the
// header a reply starts with (data-sms-prefix). A text over the budget is
// not sent; the server refuses it too. No framework, no inline script
// (the dashboard's CSP allows only 'self').
(function () {
  "use strict";
  // GSM 03.38: the basic table (1 septet each) and the extension table
  // (2 septets each). A Go test checks these against package sms.
  var GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXTENSION = "\f^{}\\[~]|€";
  // sms.Normalize: typographic characters and their GSM-7 look-alikes.
  var TYPOGRAPHIC = {
    "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'", "\u2032": "'",
    "\u201C": "\"", "\u201D": "\"", "\u201E": "\"", "\u201F": "\"", "\u2033": "\"",
    "\u00AB": "\"", "\u00BB": "\"",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00A0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202F": " ",
    "\u200B": "", "\u2060": "", "\uFEFF": ""
  };
  var MAX_DEFAULT = 3;
  var septets = {};
  Array.from(GSM_BASIC).forEach(function (c) { septets[c] = 1; });
  Array.from(GSM_EXTENSION).forEach(function (c) { septets[c] = 2; });

  function utf16(c) { return c.codePointAt(0) > 0xFFFF ? 2 : 1; }
  function isGSM(s) { return Array.from(s).every(function (c) { return septets[c] > 0; }); }

  function normalize(s) {
    if (isGSM(s)) { return s; }
    return Array.from(s).map(function (c) { return TYPOGRAPHIC.hasOwnProperty(c) ? TYPOGRAPHIC[c] : c; }).join("");
  }

  // count returns {encoding, segments, units, wide} for an SMS body, as
  // sms.Segments does; wide lists the characters that force UCS-2.
  function count(body) {
    var chars = Array.from(body);
    var gsm = isGSM(body);
    var cost = gsm ? function (c) { return septets[c]; } : utf16;
    var units = chars.reduce(function (n, c) { return n + cost(c); }, 0);
    var single = gsm ? 160 : 70, per = gsm ? 153 : 67;
    var wide = gsm ? [] : chars.filter(function (c, i) { return !(septets[c] > 0) && chars.indexOf(c) === i; });
    var r = { encoding: gsm ? "GSM-7" : "UCS-2", segments: 0, units: units, wide: wide };
    if (units === 0) { return r; }
    if (units <= single) { r.segments = 1; return r; }
    var used = 0;
    r.segments = 1;
    chars.forEach(function (c) {
      var k = cost(c);
      if (used + k > per) { r.segments++; used = 0; }
      used += k;
    });
    return r;
  }

  // body is what the carrier receives: the header, then the text, trimmed.
  function body(box) {
    var text = box.value.trim();
    var canned = box.form ? box.form.querySelector("select[name=canned]") : null;
    if (text === "" && canned && canned.selectedIndex > 0) {
      text = canned.options[canned.selectedIndex].getAttribute("data-text") || "";
    }
    return normalize(((box.getAttribute("data-sms-prefix") || "") + text).trim());
  }

  function update(box, out) {
    var max = parseInt(box.getAttribute("data-sms-max"), 10) || MAX_DEFAULT;
    var c = count(body(box));
    var over = c.segments > max;
    var msg = c.segments + " of " + max + " SMS segments (" + c.encoding + ", " + c.units +
      (c.encoding === "GSM-7" ? " septets)" : " characters)");
    if (over) {
      msg = c.segments + " SMS segments: too long, at most " + max + " may go to someone on SMS. Shorten it.";
    }
    if (c.wide.length > 0) {
      msg += " Characters outside the basic SMS alphabet (" + c.wide.slice(0, 6).join(" ") +
        ") make each segment 67 characters instead of 153.";
    }
    out.textContent = msg;
    out.classList.toggle("over", over);
    out.setAttribute("data-segments", String(c.segments));
    box.setAttribute("aria-invalid", over ? "true" : "false");
    return over;
  }

  document.querySelectorAll("textarea[data-sms-max]").forEach(function (box) {
    var out = document.getElementById(box.getAttribute("aria-describedby"));
    if (!out) { return; }
    var refresh = function () { return update(box, out); };
    box.addEventListener("input", refresh);
    var canned = box.form ? box.form.querySelector("select[name=canned]") : null;
    if (canned) { canned.addEventListener("change", refresh); }
    if (box.form) {
      box.form.addEventListener("submit", function (e) {
        if (refresh()) { e.preventDefault(); e.stopImmediatePropagation(); box.focus(); }
      });
    }
    refresh();
  });

  window.TiplineSMS = { count: count, normalize: normalize };
})();
