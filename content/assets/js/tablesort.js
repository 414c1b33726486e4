/* Sortable Markdown tables (the compliance and index tables). Local, no CDN, no library.
 * Click a header to sort by that column; click again to reverse. Numbers sort as numbers,
 * everything else by Chinese collation. Only tables inside <div class="nb-sortable"> (the
 * compliance and year tables) are sortable. */
(function () {
  "use strict";

  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    var numeric = /^-?[\d.]+$/;
    if (numeric.test(a) && numeric.test(b)) return x - y;
    if (numeric.test(a) !== numeric.test(b)) return numeric.test(a) ? -1 : 1;
    return collator.compare(a, b);
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    if (!body) return;
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.dataset.nbOrder = i; });
    rows.sort(function (r1, r2) {
      var result = compare(cellValue(r1, index), cellValue(r2, index));
      if (descending) result = -result;
      return result || r1.dataset.nbOrder - r2.dataset.nbOrder;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function makeSortable(table) {
    if (table.dataset.nbSortable) return;
    table.dataset.nbSortable = "1";
    var headers = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(headers, function (th, index) {
      th.setAttribute("role", "columnheader");
      th.setAttribute("tabindex", "0");
      th.addEventListener("click", function () { sortBy(table, th, index); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortBy(table, th, index);
        }
      });
    });
  }

  function init() {
    var tables = document.querySelectorAll("article .nb-sortable table");
    Array.prototype.forEach.call(tables, makeSortable);
  }

  // Material's document$ observable fires on every page load (and page swap, if enabled).
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
