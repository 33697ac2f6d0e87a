/*
 * Small helpers for every page of Stack Steward. Everything here is an extra:
 * the pages work without JavaScript too.
 *
 * - A drop-down marked data-autosubmit sends its form as soon as it changes.
 * - A form marked data-confirm="question" asks the question before it is sent.
 * - A button marked data-copy-button copies the text of the nearest data-copy element.
 * - An error summary at the top of a form gets the keyboard focus, so screen readers read it.
 * - Filter forms sent by htmx leave out empty fields, so the address in the browser stays short.
 * - The "Menu" button shows and hides the navigation on narrow screens; the navigation's drop-downs
 *   (<details>) close when another opens, on Escape and on a click elsewhere.
 * - A list table marked data-columns="<list>" gets a "Columns" chooser: columns whose heading says
 *   data-optional can be hidden (data-optional="hidden": hidden until chosen); the choice is kept in
 *   localStorage per list. Without JavaScript every column shows.
 * - Below 900 px a list's filters other than the search fold behind a "Filters" button.
 * - Each cell of a list table gets its column's heading as data-label, so narrow screens can show a
 *   row as a stacked card.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      if (field.form.requestSubmit) {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-button]");
    if (!button) {
      return;
    }
    var source = button.parentElement.querySelector("[data-copy]");
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
      });
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (event.detail.verb !== "get" || !data || !data.forEach) {
      return;
    }
    var names = [];
    data.forEach(function (value, name) {
      if (value === "" && names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    names.forEach(function (name) {
      var kept = data.getAll(name).filter(function (value) { return value !== ""; });
      data.delete(name);
      kept.forEach(function (value) { data.append(name, value); });
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.querySelector(".form-errors[tabindex]");
    if (errors) {
      errors.focus();
    }
  });

  // Navigation ----------------------------------------------------------------------------------

  function closeGroups(except) {
    document.querySelectorAll("details[data-nav-group][open]").forEach(function (group) {
      if (group !== except) {
        group.open = false;
      }
    });
  }

  document.addEventListener("toggle", function (event) {
    var group = event.target;
    if (group.matches && group.matches("details[data-nav-group]") && group.open) {
      closeGroups(group);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".menu-button");
    if (button) {
      var menu = document.getElementById(button.getAttribute("aria-controls"));
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (menu) {
        menu.classList.toggle("open", open);
      }
      return;
    }
    if (!(event.target.closest && event.target.closest("details[data-nav-group]"))) {
      closeGroups(null);
    }
    if (!(event.target.closest && event.target.closest("details.column-chooser"))) {
      document.querySelectorAll("details.column-chooser[open]").forEach(function (d) { d.open = false; });
    }
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".filters-toggle");
    if (toggle && toggle.form) {
      var open = !toggle.form.classList.contains("open");
      toggle.form.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.querySelector("details[data-nav-group][open], details.column-chooser[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  // List tables: columns people choose, labels for stacked cards ------------------------------------

  var STORE = "steward.columns.";

  function readChoice(key) {
    try {
      return JSON.parse(window.localStorage.getItem(STORE + key) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeChoice(key, shown) {
    try {
      window.localStorage.setItem(STORE + key, JSON.stringify(shown));
    } catch (error) {
      // Private mode or storage full: the choice lasts for this page only.
    }
  }

  function headings(table) {
    var row = table.tHead && table.tHead.rows[0];
    return row ? Array.prototype.slice.call(row.cells) : [];
  }

  function columnName(th, index) {
    return th.getAttribute("data-col") || (th.textContent || "").trim().toLowerCase().replace(/\W+/g, "-") || String(index);
  }

  function applyColumns(table, shown) {
    headings(table).forEach(function (th, index) {
      var name = columnName(th, index);
      var hide = th.hasAttribute("data-optional") && shown[name] === false;
      Array.prototype.forEach.call(table.rows, function (row) {
        var cell = row.cells.length === headings(table).length ? row.cells[index] : null;
        if (cell) {
          cell.classList.toggle("col-hidden", hide);
        }
      });
    });
  }

  function shownColumns(table) {
    var key = table.getAttribute("data-columns");
    var saved = readChoice(key) || {};
    var shown = {};
    headings(table).forEach(function (th, index) {
      var name = columnName(th, index);
      if (th.hasAttribute("data-optional")) {
        shown[name] = name in saved ? saved[name] : th.getAttribute("data-optional") !== "hidden";
      }
    });
    return shown;
  }

  function buildChooser(table) {
    var optional = headings(table).filter(function (th) { return th.hasAttribute("data-optional"); });
    var wrap = table.closest(".table-wrap");
    if (!optional.length || !wrap || (wrap.previousElementSibling && wrap.previousElementSibling.classList.contains("column-chooser"))) {
      return;
    }
    var key = table.getAttribute("data-columns");
    var shown = shownColumns(table);
    var chooser = document.createElement("details");
    chooser.className = "column-chooser";
    chooser.setAttribute("data-testid", "column-chooser");
    var summary = document.createElement("summary");
    summary.textContent = "Columns";
    chooser.appendChild(summary);
    var box = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = "Show these columns";
    box.appendChild(legend);
    headings(table).forEach(function (th, index) {
      if (!th.hasAttribute("data-optional")) {
        return;
      }
      var name = columnName(th, index);
      var label = document.createElement("label");
      label.className = "check";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = shown[name];
      input.setAttribute("data-column", name);
      input.addEventListener("change", function () {
        var current = shownColumns(table);
        current[name] = input.checked;
        writeChoice(key, current);
        applyColumns(table, current);
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (th.getAttribute("data-col-label") || th.textContent.replace(/[▲▼↕]/g, "").trim())));
      box.appendChild(label);
    });
    chooser.appendChild(box);
    wrap.parentNode.insertBefore(chooser, wrap);
  }

  function labelCells(table) {
    var names = headings(table).map(function (th) {
      return (th.getAttribute("data-col-label") || th.textContent || "").replace(/[▲▼↕]/g, "").trim();
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.cells.length !== names.length) {
          return;
        }
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (!cell.hasAttribute("data-label") && names[index]) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
    });
    table.classList.add("stackable");
  }

  function prepareTables(root) {
    (root || document).querySelectorAll("table[data-columns]").forEach(function (table) {
      buildChooser(table);
      applyColumns(table, shownColumns(table));
      labelCells(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { prepareTables(document); });
  document.addEventListener("htmx:load", function (event) { prepareTables(event.detail.elt); });
})();
