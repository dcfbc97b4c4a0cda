// Tipline web chat widget: one script tag on an organisation's page,
//   <script src="https://tipline.example.org/chat/widget.js" async></script>
// injects the chat (an iframe of /chat) where the tag stands. Quick exit
// in the chat, or Escape anywhere on the page once a chat has started,
// replaces this whole page with a neutral site, so that the back button
// does not return to it.
(function () {
  "use strict";
  var exitURL = {{.ExitURL}};
  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "/chat";
  frame.title = script.getAttribute("data-title") || "Chat";
  frame.setAttribute("referrerpolicy", "no-referrer");
  frame.style.width = "100%";
  frame.style.maxWidth = script.getAttribute("data-width") || "28rem";
  frame.style.height = script.getAttribute("data-height") || "36rem";
  frame.style.border = "1px solid #999";
  frame.style.borderRadius = "8px";
  frame.style.display = "block";
  script.parentNode.insertBefore(frame, script.nextSibling);
  var active = false, leaving = false;
  function leave() {
    if (leaving) { return; }
    leaving = true;
    window.location.replace(exitURL);
  }
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow || !e.data) { return; }
    if (e.data.tipline === "exit") { leave(); }
    if (e.data.tipline === "active") { active = true; }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !active) { return; }
    // The frame clears its session and answers "exit"; leave anyway soon.
    frame.contentWindow.postMessage({ tipline: "exit" }, origin);
    window.setTimeout(leave, 400);
  });
})();
