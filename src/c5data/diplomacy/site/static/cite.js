/* c5data release site: fills today's date into the cite-this blocks as the access date. Plain JavaScript, no network. */
(function () {
  "use strict";

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return { iso: d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()), parts: [d.getFullYear(), d.getMonth() + 1, d.getDate()] };
  }

  function fill(block) {
    var placeholder = block.getAttribute("data-access");
    if (!placeholder) return;
    var date = today();
    block.querySelectorAll(".cite-plain, .cite-bibtex").forEach(function (node) {
      node.textContent = node.textContent.split(placeholder).join(date.iso);
    });
    var csl = block.querySelector(".cite-csl");
    if (csl) {
      try {
        var items = JSON.parse(csl.textContent);
        items.forEach(function (item) { if (item.accessed) item.accessed = { "date-parts": [date.parts] }; });
        csl.textContent = JSON.stringify(items, null, 2);
      } catch (e) { /* left as written: the placeholder still says what to fill in */ }
    }
    var note = block.querySelector(".cite-access");
    if (note) {
      note.textContent = "Accessed " + date.iso + " (today); change it to the date you read the page if that was another day.";
    }
  }

  function setup() { document.querySelectorAll(".cite-this").forEach(fill); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();
})();
