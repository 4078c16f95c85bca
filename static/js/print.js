// The print version of a page (?print=1): the browser's print dialog opens by
// itself once the page has loaded (a [data-print-auto] element asks for it),
// and any link marked [data-print] opens it again. Without script the page
// is the print version all the same, for Ctrl+P. The pages themselves link
// to their print version with a plain <a href="?print=1">, no script needed.
(function () {
  "use strict";
  if (typeof window.print !== "function") return;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-print]");
    if (!link) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    window.print();
  });
  window.addEventListener("load", function () {
    if (document.querySelector("[data-print-auto]")) window.print();
  });
})();
