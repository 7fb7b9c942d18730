// A button that asks before it acts (结束评分, 不符合条件…): `data-confirm="问题"` on the submit
// button, or on the form for every button of it. The browser's own dialog; cancelling sends
// nothing. Loaded as a file: the Content-Security-Policy allows no inline script.
document.addEventListener("submit", (event) => {
  const source = event.submitter?.closest("[data-confirm]") || event.target.closest("form[data-confirm]");
  if (source && !window.confirm(source.dataset.confirm)) event.preventDefault();
});
