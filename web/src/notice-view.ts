/** Renders a Notice into one of the page's alert regions (role="alert", always in the DOM). */
import { h } from "./dom";
import type { Notice } from "./problems";

export interface NoticeAction {
  label: string;
  run: () => void;
}

export function clearNotice(region: HTMLElement): void {
  region.replaceChildren();
}

export function showNotice(region: HTMLElement, notice: Notice, action?: NoticeAction): void {
  const box = h("div", { className: "notice" });
  box.append(h("p", { className: "notice-title", text: notice.title }), h("p", { text: notice.advice }));
  if (notice.serverMessage) {
    const who = notice.from === "storage" ? "Storage" : "The service";
    box.append(h("p", { className: "notice-server", text: `${who} said: “${notice.serverMessage}”` }));
  }
  const meta: Node[] = [];
  if (notice.code) meta.push(h("span", { text: `Error ${notice.code}` }));
  if (notice.status) meta.push(h("span", { text: `HTTP ${notice.status}` }));
  if (notice.requestId) {
    meta.push(h("span", { text: "Request id " }, h("code", { className: "request-id", text: notice.requestId })));
  }
  if (meta.length > 0) box.append(h("p", { className: "notice-meta" }, ...meta));
  if (action) {
    const button = h("button", { className: "btn btn-secondary btn-small", text: action.label });
    button.type = "button";
    button.addEventListener("click", action.run);
    box.append(button);
  }
  region.replaceChildren(box);
}
