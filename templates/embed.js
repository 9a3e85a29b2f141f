/* Embed the peer-support directory in any page with one tag:

     <script async src="https://DIRECTORY/embed.js" data-region="CT" data-type="12-step"
             data-accent="#0b5e75" data-theme="light" data-title="Find peer support in Connecticut"></script>

   It inserts a titled iframe of /embed/ right after itself. Presets (data-region, data-type, data-kind and
   the directory's other filters: one value or several separated by commas; data-online: include, only or
   exclude) start the directory pre-filtered; data-lang (es) shows it in another of the site's languages;
   data-map shows the map above the list from the start (the visitor can open it anyway).
   Theme: data-accent (a hex colour) and data-theme (light or dark), or the CSS custom properties
   --peer-directory-accent and --peer-directory-theme on the script's parent element. The frame reports its
   height to this page's origin only; this page accepts the report only from the directory's origin and from
   its own frame.
   A classic script (not a module), so that it can find its own tag through document.currentScript. */
(function () {
  "use strict";
  var script = document.currentScript;
  // A tag taken out of the page before it ran (the builder replaces its preview as choices change) has no place.
  if (!script || !script.src || !script.parentNode) return;
  var OWN = ["accent", "theme", "title", "online", "lang", "map"]; // the frame's own options; every other data- is a filter
  var MESSAGE = "peer-support-directory:height";
  // Each language's embedded directory (beside this script) and the frame's title in it; the first is the default.
  var FRAMES = {{ frames|tojson }};
  var chosen = FRAMES[script.dataset.lang] || FRAMES[{{ default|tojson }}];
  var widget = new URL(chosen.path, script.src);
  var data = script.dataset;
  var style = getComputedStyle(script.parentElement || document.documentElement);
  var params = new URLSearchParams();

  Object.keys(data).forEach(function (name) {
    if (OWN.indexOf(name) >= 0 || !/^[a-z]{1,20}$/.test(name)) return;
    data[name].split(",").forEach(function (value) {
      value = value.trim();
      if (/^[A-Za-z0-9-]{1,40}$/.test(value)) params.append(name, value);
    });
  });
  if (/^(include|only|exclude)$/.test(data.online || "")) params.set("online", data.online);
  if (data.map !== undefined && !/^(no|off|false)$/i.test(data.map)) params.set("map", "1");
  var accent = (data.accent || style.getPropertyValue("--peer-directory-accent")).trim();
  var theme = (data.theme || style.getPropertyValue("--peer-directory-theme")).trim();
  if (/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(accent)) params.set("accent", accent);
  if (theme === "light" || theme === "dark") params.set("theme", theme);
  if (/^https?:$/.test(location.protocol)) params.set("origin", location.origin);

  var frame = document.createElement("iframe");
  frame.src = widget.href + "?" + params.toString();
  frame.title = data.title || chosen.title;
  frame.allow = "geolocation"; // "Use my location" inside the frame; the browser still asks the visitor
  frame.className = "peer-directory-frame";
  frame.style.display = "block";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = (/^\d{3,4}$/.test(data.height || "") ? data.height : "640") + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== widget.origin || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || message.type !== MESSAGE) return;
    var height = Number(message.height);
    if (isFinite(height) && height > 0) frame.style.height = Math.min(Math.ceil(height), 50000) + "px";
  });
})();
