// Accessible names for what Django's admin draws with script: select2 (the
// autocomplete fields) left its search box and its selection unnamed and puts
// a non-item in the list of chosen values; the two-list choice puts labels on
// icons with no role.
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) return null;
    label.id = label.id || select.id + "-label";
    return label;
  }

  function name(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) return;
    var label = labelOf(select);
    if (!label) return;
    var text = label.textContent.replace(/:\s*$/, "").trim();
    var selection = container.querySelector(".select2-selection");
    var rendered = container.querySelector(".select2-selection__rendered[id]");
    if (selection && rendered) {
      // The field's label, then the chosen value select2 named it by.
      var ids = label.id + " " + rendered.id;
      if (selection.getAttribute("aria-labelledby") !== ids) {
        selection.setAttribute("aria-labelledby", ids);
      }
      // The value inside has a text-box role of its own, named by the label.
      if (rendered.getAttribute("aria-labelledby") !== label.id) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
    } else if (selection && selection.getAttribute("aria-label") !== text) {
      selection.setAttribute("aria-label", text);
    }
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      if (field.getAttribute("aria-label") !== text) field.setAttribute("aria-label", text);
    });
    container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
      if (!list.hasAttribute("role")) list.setAttribute("role", "none");
    });
  }

  function update() {
    document.querySelectorAll("select.select2-hidden-accessible").forEach(name);
    // The filter icons of a two-list choice (filter_horizontal) carry an
    // aria-label on a plain span, where it is not allowed: they are images.
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  var pending = false;
  document.addEventListener("DOMContentLoaded", function () {
    update();
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
