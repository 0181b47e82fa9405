// Interview Desk: the few behaviours htmx attributes cannot express. No inline scripts anywhere,
// so a strict Content-Security-Policy can forbid them.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // Timers ---------------------------------------------------------------------------------------
  // A timer shows data-base seconds plus the time since data-since (when running).
  function formatClock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function tick() {
    document.querySelectorAll(".timer").forEach(function (timer) {
      var seconds = Number(timer.dataset.base || 0);
      if (timer.dataset.since) {
        seconds += (Date.now() - Date.parse(timer.dataset.since)) / 1000;
      }
      timer.textContent = formatClock(seconds);
      // A timer with a limit turns red past it: the question's planned minutes (a pacing cue) or
      // the interview's, which also shows its "over time" warning.
      if (timer.dataset.limit) {
        var over = seconds > Number(timer.dataset.limit);
        timer.classList.toggle("over", over);
        var warning = timer.dataset.overtime && document.getElementById(timer.dataset.overtime);
        if (warning) warning.hidden = !over;
      }
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);

  // Save status and retries ----------------------------------------------------------------------
  var RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000, 30000];

  function setStatus(state, text) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  function isAutosave(elt) {
    return elt && elt.closest && elt.closest("[data-autosave]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isAutosave(event.detail.elt)) setStatus("saving", "Saving…");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = isAutosave(event.detail.elt);
    if (!elt || !event.detail.successful) return;
    elt.dataset.retries = "0";
    if (elt.matches("[data-notes]")) elt.dataset.savedValue = elt.value;
  });

  function retryLater(elt, why) {
    var attempt = Number(elt.dataset.retries || 0);
    var delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
    elt.dataset.retries = String(attempt + 1);
    setStatus("failed", why + " Retrying in " + Math.round(delay / 1000) + " s; your text stays here.");
    setTimeout(function () {
      // Each autosaving element resends its current state; notes resend the latest text.
      htmx.trigger(elt, elt.matches("[data-notes]") ? "retry" : "change");
    }, delay);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var elt = isAutosave(event.detail.elt);
    if (!elt) return;
    var xhr = event.detail.xhr;
    if (xhr.status >= 500 || xhr.status === 429) {
      retryLater(elt, "Save failed (the server answered " + xhr.status + ").");
    } else {
      // A 4xx is a refusal with a reason: retrying would not help.
      setStatus("failed", "Not saved: " + (xhr.responseText || "the server refused (" + xhr.status + ")."));
    }
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var elt = isAutosave(event.detail.elt);
      if (elt) retryLater(elt, "Save failed (no connection).");
      else showActionError("Nothing was done: the server could not be reached. Try again.");
    });
  });

  // Refused actions -------------------------------------------------------------------------------
  // Every htmx action the server refuses is told to the user, in the page's alert region; autosave
  // fields say it in their own save status above. A refusal is text/plain (views._refusal): it is
  // never swapped into the page, whatever the status (409 and 410 otherwise swap, for the notes
  // conflict panel and the ended candidate screen, which answer HTML).
  function showActionError(text) {
    var region = document.getElementById("action-error");
    if (!region) return;
    region.textContent = text;
    region.hidden = false;
  }

  function isRefusal(xhr) {
    return xhr.status >= 400 && (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isRefusal(event.detail.xhr)) {
      event.detail.shouldSwap = false;
      event.detail.isError = true;
    }
  });

  // The message stays until another action succeeds.
  document.addEventListener("htmx:afterRequest", function (event) {
    var region = document.getElementById("action-error");
    if (region && event.detail.successful && !isAutosave(event.detail.elt)) region.hidden = true;
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (isAutosave(event.detail.elt)) return;
    var xhr = event.detail.xhr;
    var text = isRefusal(xhr) && xhr.responseText
      ? xhr.responseText
      : "The server could not do this (it answered " + xhr.status + "). Reload the page and try again.";
    showActionError(text);
  });

  function hasUnsavedNotes(area) {
    var saved = area.dataset.savedValue !== undefined ? area.dataset.savedValue : area.defaultValue;
    return area.value !== saved && !area.readOnly;
  }

  // Leaving the notes box saves at once what the debounced save has not sent yet. (htmx's
  // "blur changed" compares with the previous blur, so it also resent text already saved.)
  document.addEventListener("focusout", function (event) {
    var area = event.target;
    if (area.matches("textarea[data-notes]") && hasUnsavedNotes(area)) htmx.trigger(area, "retry");
  });

  // Notes typed in the last second before the page goes away are sent anyway.
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("textarea[data-notes]").forEach(function (area) {
      if (!hasUnsavedNotes(area)) return;
      var form = area.closest("form");
      navigator.sendBeacon(area.getAttribute("hx-post"), new FormData(form));
    });
  });

  // Notes conflict (409) -------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-resolve]");
    if (!button) return;
    var panel = button.closest("[data-conflict]");
    var area = document.getElementById(panel.dataset.target);
    var version = area.form.querySelector("input[name=version]");
    var theirs = panel.querySelector("[data-theirs]").textContent;
    var choice = button.dataset.resolve;
    version.value = panel.dataset.version;
    // "Theirs" is saved too, a no-op on the server: clicking here blurred the notes, and the 409
    // answering that stale blur save arrives after this click and puts the panel back; the answer
    // to this save, queued behind it, is what closes the panel for good.
    if (choice === "theirs") area.value = theirs;
    if (choice === "both") area.value = area.value + "\n\n" + theirs;
    htmx.trigger(area, "retry");
  });

  // Keyboard shortcuts ---------------------------------------------------------------------------
  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])") &&
      !(target.matches("input[type=radio], input[type=checkbox]"));
  }

  function toggleShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts-open]")) toggleShortcuts();
  });

  // Single-key shortcuts can be turned off (WCAG 2.1.4); the choice is kept on this device.
  var SHORTCUTS_KEY = "interview-desk.shortcuts";
  function shortcutsOn() {
    try { return window.localStorage.getItem(SHORTCUTS_KEY) !== "off"; } catch (e) { return true; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-shortcuts-switch]").forEach(function (box) { box.checked = shortcutsOn(); });
  });
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-shortcuts-switch]")) return;
    try { window.localStorage.setItem(SHORTCUTS_KEY, event.target.checked ? "on" : "off"); } catch (e) { /* private mode */ }
  });

  function toggle(box) {
    if (!box || box.disabled || box.closest("fieldset:disabled")) return false;
    box.checked = !box.checked;
    // A change event is what htmx listens for on a checkbox (and on the hint's form).
    box.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (!document.querySelector("[data-live]")) return;
    // Esc leaves the notes box (focusout saves what is unsaved); focus goes back to the question.
    if (event.key === "Escape" && event.target.matches("textarea[data-notes]")) {
      event.preventDefault();
      event.target.blur();
      var heading = document.getElementById("question-heading");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (!shortcutsOn()) return;
    var key = event.key;
    if (key === "?") {
      event.preventDefault();
      toggleShortcuts();
      return;
    }
    if (document.getElementById("shortcuts").open) return;
    // Shift+1…9 ticks key point 1…9 (by the key's position, whatever the layout prints on it).
    var digit = /^Digit([1-9])$/.exec(event.code || "");
    if (event.shiftKey && digit) {
      var points = document.querySelectorAll(".points input[type=checkbox]");
      if (toggle(points[Number(digit[1]) - 1])) event.preventDefault();
      return;
    }
    // Arrows move within a radio group (the score) before they move between questions.
    var arrowsAreTaken = event.target.matches("input[type=radio]");
    if (/^[0-4]$/.test(key)) {
      var radio = document.querySelector(".score input[name=score][value='" + key + "']");
      if (radio && !radio.disabled && !radio.closest("fieldset:disabled")) {
        event.preventDefault();
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (key === "h") {
      if (toggle(document.querySelector("[data-hint]"))) event.preventDefault();
    } else if (key === "i") {
      var notes = document.querySelector("textarea[data-notes]");
      if (notes) { event.preventDefault(); notes.focus(); }
    } else if (key === "j" || (key === "ArrowRight" && !arrowsAreTaken)) {
      var next = document.querySelector("[data-nav=next]");
      if (next) { event.preventDefault(); next.click(); }
    } else if (key === "k" || (key === "ArrowLeft" && !arrowsAreTaken)) {
      var previous = document.querySelector("[data-nav=previous]");
      if (previous) { event.preventDefault(); previous.click(); }
    } else if (key === "n") {
      // Accept the suggested next question (a plain form post: the plan changes only on request).
      var accept = document.querySelector("[data-accept-suggestion]");
      if (accept) { event.preventDefault(); accept.click(); }
    } else if (key === " " && !event.target.closest("button, a, summary, input, select, label")) {
      // Space keeps its own meaning on a control (ticking a key point, picking a score).
      var answer = document.getElementById("answer");
      if (answer) { event.preventDefault(); answer.open = !answer.open; }
    }
  });

  // PDFs -----------------------------------------------------------------------------------------
  // The waiting page's poll says the PDF is made: open its URL, which now answers the file (a
  // download: the page stays, and says the PDF is made).
  document.addEventListener("printout-ready", function (event) {
    window.location.assign(event.detail.url);
  });
})();
