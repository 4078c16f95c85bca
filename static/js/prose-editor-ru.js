// The rich-text editor in Russian and with a name for screen readers.
// django-prose-editor names its toolbar buttons in English, outside its
// translation catalogue; the page passes the Russian names (through gettext)
// in the textarea's data-kb-editor-labels, and this swaps them in as the
// editor draws its toolbar, menus and dialogs. Its editing area gets the
// field's label as its accessible name.
(function () {
  "use strict";
  var labels = {};
  var TEXT_ELEMENTS = "button, label, option, p, h2, h3, h4, legend, span";

  function swap(value) {
    return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : null;
  }

  function translate(root) {
    root.querySelectorAll("[title], [aria-label]").forEach(function (element) {
      ["title", "aria-label"].forEach(function (name) {
        var russian = element.hasAttribute(name) && swap(element.getAttribute(name));
        if (russian) element.setAttribute(name, russian);
      });
    });
    root.querySelectorAll(".prose-menubar " + TEXT_ELEMENTS.split(", ").join(", .prose-menubar ") +
      ", dialog " + TEXT_ELEMENTS.split(", ").join(", dialog ")).forEach(function (element) {
      // Only elements whose whole text is one English name, not icon ligatures.
      if (element.children.length || element.classList.contains("material-icons")) return;
      var russian = swap(element.textContent.trim());
      if (russian) element.textContent = russian;
    });
  }

  function name(textarea) {
    var container = textarea.closest(".prose-editor") || textarea.parentNode;
    var area = container.querySelector(".ProseMirror[contenteditable]");
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (!area || !label || area.hasAttribute("aria-labelledby")) return;
    label.id = label.id || textarea.id + "-label";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-labelledby", label.id);
    // The label points at the hidden textarea; a click should reach the editor.
    label.addEventListener("click", function (event) {
      event.preventDefault();
      area.focus();
    });
  }

  function update() {
    var fields = document.querySelectorAll("textarea[data-kb-editor-labels]");
    fields.forEach(function (textarea) {
      try {
        Object.assign(labels, JSON.parse(textarea.getAttribute("data-kb-editor-labels")));
      } catch (error) {
        return;
      }
      name(textarea);
    });
    if (fields.length) translate(document.body);
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    update();
    new MutationObserver(schedule).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["title", "aria-label"],
    });
  });
})();
