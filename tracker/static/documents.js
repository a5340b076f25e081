// The Vaughn index page: "Put them in the first empty row" copies the exemptions the letter names.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("proposed-exemptions");
  const button = box && box.querySelector("[data-fill-exemptions]");
  if (!button) return;
  button.addEventListener("click", () => {
    const inputs = [...document.querySelectorAll("input[name$='-exemptions']")];
    const target = inputs.find((input) => !input.value.trim());
    if (!target) return;
    target.value = box.dataset.exemptions;
    target.focus();
  });
});
