// A small element builder: text is always set as text, never parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Tables and lists that scroll inside their own box (`.table-wrap`) when they are wider than
// it: such a box is made a named, focusable region so the keyboard can scroll it too; one
// that fits is left out of the tab order.
export function scrollers(root) {
  for (const box of root.querySelectorAll(".table-wrap")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const heading = box.closest("section, details, main")?.querySelector("h1, h2, h3, summary");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.querySelector("caption")?.textContent || heading?.textContent || "table");
    } else if (!scrolls && box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}

export function notice(message, ok = false) {
  const box = document.getElementById("notice");
  box.textContent = message ?? "";
  box.className = ok ? "ok" : "";
  box.hidden = !message;
}

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// "2 h 05 min left" / "overdue 3 h": the SLA clock of a case.
export function clock(dueIso, words) {
  if (!dueIso) return h("span", { class: "muted" }, "—");
  const ms = new Date(dueIso) - Date.now();
  const mins = Math.round(Math.abs(ms) / 60000);
  const text = mins >= 60 ? `${Math.floor(mins / 60)} h ${String(mins % 60).padStart(2, "0")} min` : `${mins} min`;
  return ms < 0
    ? h("span", { class: "overdue" }, `${words.overdue} ${text}`)
    : h("span", {}, `${words.left} ${text}`);
}
