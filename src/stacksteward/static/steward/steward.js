/*
 * Small helpers for every page of Stack Steward. Everything here is an extra:
 * the pages work without JavaScript too.
 *
 * - A drop-down marked data-autosubmit sends its form as soon as it changes.
 * - A form marked data-confirm="question" asks the question before it is sent.
 * - A button marked data-copy-button copies the text of the nearest data-copy element.
 * - An error summary at the top of a form gets the keyboard focus, so screen readers read it.
 * - Filter forms sent by htmx leave out empty fields, so the address in the browser stays short.
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
})();
