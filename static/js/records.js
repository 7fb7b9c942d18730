// Rows of a form: a "select all" box ticks every row of its own form. Loaded as a file: the
// Content-Security-Policy allows no inline script.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all || !all.form) return;
  const table = all.closest("table");
  for (const box of table.querySelectorAll("input[name=rows]")) box.checked = all.checked;
});
