// The clerks' page: "add another" for the lists of the act form (the only script; the page
// works without it, one item at a time).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.add");
  if (!button) return;
  const list = button.closest("fieldset.list");
  const template = list.querySelector(":scope > template");
  const next = Number(list.dataset.next);
  const html = template.innerHTML.replaceAll("__i__", String(next));
  list.querySelector(":scope > .items").insertAdjacentHTML("beforeend", html);
  list.dataset.next = String(next + 1);
});
