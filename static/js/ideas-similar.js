/*
 * While someone types an idea's title, show open ideas with similar titles,
 * so people vote for an existing idea instead of filing a duplicate.
 * Progressive enhancement: without JavaScript the form works the same.
 * Titles are inserted with textContent, never as HTML.
 */
(function () {
  "use strict";
  var box = document.getElementById("similar-ideas");
  var input = document.getElementById("id_title");
  if (!box || !input || !window.fetch) { return; }
  var list = box.querySelector("ul");
  var timer = null;
  var lastQuery = "";

  function render(results) {
    list.textContent = "";
    results.forEach(function (idea) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = idea.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "№" + idea.id + ". " + idea.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" — " + idea.status + ", " + idea.votes + " \u2714"));
      list.appendChild(item);
    });
    box.hidden = results.length === 0;
  }

  function lookup() {
    var query = input.value.trim();
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 4) { render([]); return; }
    var url = new URL(box.dataset.url, window.location.href);
    url.searchParams.set("q", query);
    if (box.dataset.exclude) { url.searchParams.set("exclude", box.dataset.exclude); }
    fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === query) { render(data.results || []); } })
      .catch(function () { render([]); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 300);
  });
  lookup();
})();
