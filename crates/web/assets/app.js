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

// ---- Interview aftercare: the meeting clock on /interviews/{id} ----
// `[data-meeting-clock]` holds <time datetime> elements for the start, the wrap-up cue and the end (the page
// shows those times without JavaScript). This keeps a "time left" line beside them, updated every few seconds
// at minute precision, and says once, through the polite live region `[data-clock-cue]`, when it is time to
// wrap up and when time is up. Nothing blinks: the cue only changes its text (and colour once time is up).
(function () {
  "use strict";

  function instant(clock, selector) {
    var element = clock.querySelector(selector);
    var value = element ? Date.parse(element.getAttribute("datetime")) : NaN;
    return isNaN(value) ? null : value;
  }

  function minutesText(ms) {
    var minutes = Math.ceil(ms / 60000);
    if (minutes <= 1) {
      return "less than a minute";
    }
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    if (hours === 0) {
      return minutes + " minutes";
    }
    if (hours >= 48) {
      return Math.floor(hours / 24) + " days";
    }
    return hours + " h" + (rest > 0 ? " " + rest + " min" : "");
  }

  function watch(clock) {
    var start = instant(clock, "[data-clock-start]");
    var wrapUp = instant(clock, "[data-clock-wrap-up]");
    var end = instant(clock, "[data-clock-end]");
    var left = clock.querySelector("[data-clock-left]");
    var cue = clock.querySelector("[data-clock-cue]");
    if (start === null || wrapUp === null || end === null || !left || !cue) {
      return;
    }
    var phase = null;
    var timer = null;

    function say(next, text) {
      if (phase === next) {
        return;
      }
      phase = next;
      clock.setAttribute("data-phase", next);
      cue.textContent = text;
    }

    function tick() {
      var now = Date.now();
      left.hidden = false;
      if (now < start) {
        left.textContent = "Starts in " + minutesText(start - now) + ".";
        say("before", "");
      } else if (now < wrapUp) {
        left.textContent = "Time left: " + minutesText(end - now) + ".";
        say("during", "");
      } else if (now < end) {
        left.textContent = "Time left: " + minutesText(end - now) + ".";
        say("wrap-up", "Time to wrap up: agree on next steps and say thank you.");
      } else {
        left.textContent = "The conversation has ended.";
        say("over", "Time is up.");
        if (timer !== null) {
          window.clearInterval(timer);
        }
      }
    }

    tick();
    if (phase !== "over") {
      timer = window.setInterval(tick, 5000);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-meeting-clock]"), watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
