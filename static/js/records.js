// Rows of a form: a "select all" box ticks every row of its own form. Loaded as a file: the
// Content-Security-Policy allows no inline script.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all || !all.form) return;
  const table = all.closest("table");
  for (const box of table.querySelectorAll("input[name=rows]")) box.checked = all.checked;
});

// A row's action bar (提交, 确认…) acts on the row as saved. Once a field of the row's form is
// changed, the bar does not send: it says to save first, so what was typed is neither lost
// nor sent unseen (`data-unsaved-guard="#row-actions"` on the row's form).
document.addEventListener("input", (event) => {
  const form = event.target.closest("form[data-unsaved-guard]");
  const bar = form && document.querySelector(form.dataset.unsavedGuard);
  if (bar) bar.dataset.unsaved = "1";
});
document.addEventListener("submit", (event) => {
  const bar = event.target;
  if (!bar.dataset.unsaved) return;
  event.preventDefault();
  bar.querySelector("[data-unsaved-note]")?.classList.remove("d-none");
});
