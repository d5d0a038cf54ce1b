// Keyboard shortcuts (a accept, r reject, j/k next/previous task), the highlight of the current
// task's span, and the selection of a missed task's text for the "add task" form.
(function () {
  "use strict";
  const tasks = () => Array.from(document.querySelectorAll("article.task"));
  let current = -1;
  function select(i) {
    const list = tasks();
    if (!list.length) return;
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((t, n) => t.classList.toggle("current", n === current));
    document.querySelectorAll(".span.current").forEach((s) => s.classList.remove("current"));
    const task = list[current];
    const span = document.getElementById("span-" + task.dataset.task);
    if (span) { span.classList.add("current"); span.scrollIntoView({ block: "center" }); }
    task.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
    const task = tasks()[current];
    if (e.key === "j") select(current + 1);
    else if (e.key === "k") select(current - 1);
    else if ((e.key === "a" || e.key === "r") && task) {
      const button = task.querySelector(e.key === "a" ? "button.accept" : "button.reject");
      if (button) button.click();
    } else return;
    e.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", () => { if (current >= 0) select(current); });
  document.addEventListener("htmx:responseError", (e) => {
    // 409: another reviewer saved first; show their message inside the task
    const target = e.detail.target;
    if (target && e.detail.xhr) {
      const box = target.querySelector(".message") || target;
      box.innerHTML = e.detail.xhr.responseText;
    }
  });
  // the department picker: names like what is typed, from the registry and the store (fuzzy)
  document.addEventListener("input", async (e) => {
    const field = e.target.closest("input[list=departments]");
    if (!field || field.value.length < 1) return;
    const reply = await fetch("/suggest?q=" + encodeURIComponent(field.value));
    if (!reply.ok) return;
    const list = document.getElementById("departments");
    list.replaceChildren(...(await reply.json()).map((name) => Object.assign(document.createElement("option"), { value: name })));
  });
  // an outline entry scrolls the source to its heading
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a[data-pos]");
    if (!link) return;
    const pos = Number(link.dataset.pos);
    const spans = Array.from(document.querySelectorAll("#source-text span[data-start]"));
    const span = spans.filter((s) => Number(s.dataset.start) <= pos).pop();
    if (span) { e.preventDefault(); span.scrollIntoView({ block: "start" }); }
  });
  // the offsets of a selection in the source text, for a task the extractor missed
  document.addEventListener("mouseup", () => {
    const source = document.getElementById("source-text");
    const form = document.getElementById("add-task");
    const sel = window.getSelection();
    if (!source || !form || !sel || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) return;
    const offset = (node, within) => {
      const span = node.parentElement.closest("span[data-start]");
      return span ? Number(span.dataset.start) + within : null;
    };
    const start = offset(range.startContainer, range.startOffset);
    const end = offset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    document.getElementById("add-start").value = start;
    document.getElementById("add-end").value = end;
    document.getElementById("add-selection").textContent = sel.toString().slice(0, 60);
  });
})();
