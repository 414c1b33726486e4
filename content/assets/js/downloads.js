/* nianbao: a link to a CSV that the site publishes gzip-compressed only (class nb-csv;
 * generator/render/output.py SPREADSHEETS) downloads the CSV itself: the browser fetches
 * the .csv.gz, decompresses it (DecompressionStream) and saves it under the CSV's name.
 * Without JavaScript or DecompressionStream the link downloads the .csv.gz, whose content
 * is the same CSV. A server that sends the file already decoded (Content-Encoding: gzip)
 * is recognised by the bytes: gzip data starts with 1f 8b, a CSV with its BOM. */
(function () {
  "use strict";
  if (typeof DecompressionStream === "undefined" || !window.fetch || !window.Blob) return;

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.nb-csv") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey ||
        event.metaKey || event.shiftKey || event.altKey) return;
    var name = link.pathname.split("/").pop();
    try {
      name = decodeURIComponent(name);
    } catch (error) {
      return; // not an address this script made: the browser follows the link
    }
    name = name.replace(/\.gz$/, "");
    event.preventDefault();
    fetch(link.href).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.arrayBuffer();
    }).then(function (data) {
      var bytes = new Uint8Array(data);
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new Blob([bytes]);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).blob();
    }).then(function (csv) {
      save(new Blob([csv], { type: "text/csv;charset=utf-8" }), name);
    }).catch(function () {
      location.href = link.href; // the .csv.gz as it is
    });
  });
})();
