// The pages' few behaviours, from this file: the Content-Security-Policy runs no inline script or
// handler. Markup asks for them with data attributes.

// <button data-print>: print the page (notices, reports, joint-punishment checks).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// <select data-autosubmit>: choosing sends its form (the language switch; without scripts a
// button in <noscript> does it).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.submit();
  }
});

// Tables of three columns or more become cards on a phone (site.css): each cell is labelled with
// its column's heading.
// A table opts out with data-no-cards (the batch check's and the credit report's keep their own
// layout); without this script tables scroll inside .table-wrap.
function labelTableCells() {
  for (const table of document.querySelectorAll("table.table:not([data-no-cards]):not(.batch-table)")) {
    if (table.closest(".report")) {
      continue;
    }
    const headings = table.querySelectorAll("thead tr:last-child th");
    // Two columns fit a phone as a table; cards are for wider ones.
    if (headings.length < 3 || table.querySelector("thead [colspan]")) {
      continue;
    }
    const labels = Array.from(headings, (th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      let column = 0;
      for (const cell of row.children) {
        // A cell spanning columns ("not assessed" across a row) says what it means without a label.
        if (cell.colSpan === 1 && labels[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan;
      }
    }
    table.setAttribute("data-cards", "");
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", labelTableCells);
} else {
  labelTableCells();
}
