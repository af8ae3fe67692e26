// Coffeechat's progressive enhancement. Every page works without this file; it only saves clicks.
//
// - Time zones: elements marked `data-detect-zone` learn the browser's IANA zone (Intl API):
//     "select"   — a <select> on a blank form is switched to the browser's zone (added if missing);
//     "navigate" — the page showed times in a fallback zone, so it is reloaded once with `?tz=<zone>`
//                  (never when the address already names a zone, so there is no loop);
//     "fill"     — an empty hidden input gets the zone, so the next search carries it.
// - Buttons marked `data-hide-with-htmx` are only needed without htmx, which updates the page on change.
// - After htmx swaps part of a page, the text of the new part's `data-announce` elements is read out through
//   the layout's #live-announcer (a region that arrives with the swap is not announced), and when the swap
//   removed the focused control (an inbox card answered in place), focus moves to the new part, not <body>.
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

  function announce(text) {
    var region = document.getElementById("live-announcer");
    if (!region || !text) {
      return;
    }
    // Emptied first, so that the same message twice in a row is still a change worth announcing.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function swappedElement(event) {
    var candidates = [event.target, event.detail && event.detail.target];
    for (var i = 0; i < candidates.length; i += 1) {
      var element = candidates[i];
      if (element && element.nodeType === 1 && element.isConnected) {
        return element;
      }
      // An outerHTML swap replaces the target: its successor carries the same id.
      if (element && element.id && document.getElementById(element.id)) {
        return document.getElementById(element.id);
      }
    }
    return null;
  }

  function afterSettle(event) {
    var swapped = swappedElement(event);
    if (!swapped || swapped === document.body) {
      return;
    }
    var parts = Array.prototype.slice.call(swapped.querySelectorAll("[data-announce]"));
    if (swapped.hasAttribute("data-announce")) {
      parts.unshift(swapped);
    }
    announce(parts.map(function (part) {
      return part.textContent.replace(/\s+/g, " ").trim();
    }).filter(Boolean).join(" "));
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      if (!swapped.hasAttribute("tabindex")) {
        swapped.setAttribute("tabindex", "-1");
      }
      swapped.focus();
    }
  }

  function start() {
    detectZones();
    hideButtonsHtmxReplaces();
  }

  document.addEventListener("htmx:afterSettle", afterSettle);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
