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
