// Suggests existing tags while an editor types into the comma-separated tags
// field. Progressive enhancement: without JavaScript the field works as is.
(function () {
  "use strict";
  function attach(input) {
    var url = input.getAttribute("data-suggest-url");
    if (!url) return;
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var parts = input.value.split(",");
        var term = parts.pop().trim();
        if (term.length < 2) return;
        var prefix = parts.map(function (p) { return p.trim(); }).filter(Boolean);
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "term=" + encodeURIComponent(term), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (item) {
              var option = document.createElement("option");
              option.value = prefix.concat([item.text]).join(", ");
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  });
})();
