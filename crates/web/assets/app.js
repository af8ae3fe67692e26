// Coffeechat's progressive enhancement. Every page works without this file; it only saves clicks.
//
// - Time zones: elements marked `data-detect-zone` learn the browser's IANA zone (Intl API):
//     "select"   — a <select> on a blank form is switched to the browser's zone (added if missing);
//     "navigate" — the page showed times in a fallback zone, so it is reloaded once with `?tz=<zone>`
//                  (never when the address already names a zone, so there is no loop);
//     "fill"     — an empty hidden input gets the zone, so the next search carries it.
// - Buttons marked `data-hide-with-htmx` are only needed without htmx, which updates the page on change.
(function () {
  "use strict";

  function browserZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      return typeof zone === "string" && zone.length > 0 ? zone : null;
    } catch (error) {
      return null;
    }
  }

  function selectZone(select, zone) {
    var found = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!found) {
      var option = document.createElement("option");
      option.value = zone;
      option.textContent = zone;
      select.insertBefore(option, select.firstChild);
    }
    select.value = zone;
  }

  function navigateWithZone(element, zone) {
    var url = new URL(window.location.href);
    if (url.searchParams.has("tz") || element.value === zone) {
      return;
    }
    url.searchParams.set("tz", zone);
    window.location.replace(url.toString());
  }

  function detectZones() {
    var zone = browserZone();
    if (!zone) {
      return;
    }
    document.querySelectorAll("[data-detect-zone]").forEach(function (element) {
      var mode = element.getAttribute("data-detect-zone");
      if (mode === "select" && element.tagName === "SELECT") {
        selectZone(element, zone);
      } else if (mode === "navigate") {
        navigateWithZone(element, zone);
      } else if (mode === "fill" && !element.value) {
        element.value = zone;
      }
    });
  }

  function hideButtonsHtmxReplaces() {
    if (!window.htmx) {
      return;
    }
    document.querySelectorAll("[data-hide-with-htmx]").forEach(function (element) {
      element.hidden = true;
    });
  }

  function start() {
    detectZones();
    hideButtonsHtmxReplaces();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
