// Searchable fields (escp_portal/choices.py): a text input with data-choices="<url>" becomes an
// ARIA 1.2 combobox with a list of suggestions from that URL. Without this script the input
// still works: the server resolves what was typed.
//
// Keyboard: Down/Up move through the suggestions (Down opens them), Enter picks one, Escape
// closes the list (or clears the input when it is closed), Tab leaves. The number of
// suggestions is announced in a live region. A picked suggestion is sent as its code, so that
// filter URLs keep their codes (?country=DE).
(function () {
  "use strict";

  var DELAY = 150; // ms after the last key before asking
  var counter = 0;

  // One polite live region for the page's searchable fields (not role=status: that is the
  // page's own messages).
  var region = null;
  function liveRegion() {
    if (!region) {
      region = document.createElement("div");
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("aria-atomic", "true");
      region.dataset.choicesAnnouncements = "";
      document.body.appendChild(region);
    }
    return region;
  }

  function enhance(input) {
    var multiple = input.dataset.choicesMultiple === "true";
    var url = new URL(input.dataset.choices, window.location.href);
    // The page's words (translated there): none, one, "{n} …", and how to use the field.
    var text = [
      input.dataset.choicesNone,
      input.dataset.choicesOne,
      input.dataset.choicesMany,
      input.dataset.choicesHint,
    ];
    var id = input.id || "choices-" + ++counter;
    input.id = id;
    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", input.dataset.choicesList);
    listbox.className = "dropdown-menu choices-listbox";
    var status = liveRegion();
    var hint = document.createElement("span");
    hint.id = id + "-hint";
    hint.className = "visually-hidden";
    hint.textContent = text[3];
    input.after(listbox, hint);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);

    var picked = {}; // label -> value, of the suggestions picked
    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;

    // In a field of several, the term is what follows the last separator.
    function termStart() {
      if (!multiple) return 0;
      var value = input.value;
      return Math.max(value.lastIndexOf(";"), value.lastIndexOf(",")) + 1;
    }

    function term() {
      return input.value.slice(termStart()).trim();
    }

    function open(rows) {
      listbox.replaceChildren();
      options = rows.map(function (row, index) {
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.className = "dropdown-item";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.value = row.value;
        option.textContent = row.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keeps the focus on the input
          pick(index);
        });
        listbox.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var shown = rows.length > 0;
      listbox.classList.toggle("show", shown);
      input.setAttribute("aria-expanded", shown ? "true" : "false");
      status.textContent =
        rows.length === 0 ? text[0] : rows.length === 1 ? text[1] : text[2].replace("{n}", rows.length);
    }

    function close() {
      listbox.classList.remove("show");
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      if (options.length === 0) return;
      if (active >= 0) {
        options[active].classList.remove("active");
        options[active].setAttribute("aria-selected", "false");
      }
      active = (index + options.length) % options.length;
      var option = options[active];
      option.classList.add("active");
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function pick(index) {
      var option = options[index];
      var chosen = option.textContent;
      picked[chosen] = option.dataset.value;
      var before = input.value.slice(0, termStart());
      input.value = multiple ? before + (before ? " " : "") + chosen + "; " : chosen;
      close();
      status.textContent = chosen;
    }

    function ask() {
      var q = term();
      if (pending) pending.abort();
      if (!q) {
        close();
        return;
      }
      pending = new AbortController();
      url.searchParams.set("q", q);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (rows) {
          if (document.activeElement === input) open(rows);
        })
        .catch(function () {}); // aborted by a newer search, or offline: the input still works
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (expanded) highlight(active + 1);
        else ask();
      } else if (event.key === "ArrowUp") {
        if (expanded) {
          event.preventDefault();
          highlight(active - 1);
        }
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault(); // picks, does not submit yet
          pick(active);
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", close);
    if (input.form) {
      input.form.addEventListener("submit", function () {
        var pieces = multiple ? input.value.split(";") : [input.value];
        input.value = pieces
          .map(function (piece) {
            var label = piece.trim();
            return Object.prototype.hasOwnProperty.call(picked, label) ? picked[label] : label;
          })
          .filter(function (piece) {
            return piece !== "";
          })
          .join(multiple ? "; " : "");
      });
    }
  }

  document.querySelectorAll("input[data-choices]").forEach(enhance);
})();
