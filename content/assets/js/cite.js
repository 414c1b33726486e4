/* 引用本报告 (report pages, generator/render/templates/report.md.j2): the access date is the
 * reader's own day, filled in here, never the date the site was built; the page's address is
 * the one the reader opened, unless the portal's address is configured (data-nb-fixed).
 * Without scripts the box says 引用日期 and the page's path from the site root. */
(function () {
  function fill() {
    var now = new Date();
    var day =
      now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" +
      ("0" + now.getDate()).slice(-2);
    document.querySelectorAll("[data-nb-cite] [data-nb-accessed]").forEach(function (el) {
      el.textContent = day;
    });
    document.querySelectorAll("[data-nb-cite] [data-nb-url]").forEach(function (el) {
      if (!el.hasAttribute("data-nb-fixed")) {
        el.textContent = window.location.href.split("#")[0];
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();
