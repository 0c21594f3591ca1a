"""Keyboard and screen-reader help: the page language, Streamlit's English control labels in Chinese, focus kept.

A script-only component mounted once per page run watches the page and relabels Streamlit's controls, so a
screen reader reads "显示密码" rather than "Show password", and pronounces the page as Chinese.
"""


import streamlit as st

# Streamlit's English aria-labels and titles of the controls this app uses, and their Chinese.
LABELS = {
    "Show password": "显示密码", "Hide password": "隐藏密码", "Help": "说明", "Close": "关闭", "Open": "打开",
    "Clear value": "清除", "Increment": "增加", "Decrement": "减少", "Choose date": "选择日期",
    "Choose date range": "选择日期范围", "Choose date and time": "选择日期和时间",
    "Quick select a date range": "快速选择日期范围", "Previous month": "上个月", "Next month": "下个月",
    "Main menu": "主菜单", "Sidebar": "侧边栏", "Expand sidebar": "展开侧边栏", "Collapse sidebar": "收起侧边栏",
    "App pages": "页面", "Navigate to home page": "回到首页", "Notifications": "通知", "Running...": "正在运行…",
    "Stop script": "停止", "Selected values": "已选值", "Scroll tabs left": "向左滚动标签",
    "Scroll tabs right": "向右滚动标签", "Previous page": "上一页", "Next page": "下一页", "Pagination": "分页",
    "file upload": "上传文件", "Link to heading": "链接到标题", "Dataframe column menu": "表格列菜单",
    "Copy column name": "复制列名", "Markdown content": "文本内容", "Fullscreen": "全屏", "Close fullscreen": "退出全屏",
    "Clear date": "清除日期", "Clear dates": "清除日期", "Clear time": "清除时间", "Clear date and time": "清除日期和时间",
    "Add files": "添加文件", "Search": "搜索", "Download as CSV": "下载 CSV",
}
PATTERNS = [["^Help for (.+)$", "$1 的说明"], ["^Remove (.+)$", "移除 $1"], ["^Page (\\d+)$", "第 $1 页"],
            ["^Upload (.+)$", "上传 $1"], ["^(.+) start date$", "$1 开始日期"], ["^(.+) end date$", "$1 结束日期"],
            ["^[a-z_]+( [a-z_]+)* icon$", "图标"]]
# The hint under a text box that has the focus ("Press Enter to submit form"), shown as visible text.
HINTS = [["^Press Enter to submit form$", "按回车键提交"], ["^Press Enter to apply$", "按回车键确认"],
         ["^Press (⌘|Ctrl)\\+Enter to submit form$", "按 $1+回车键提交"],
         ["^Press (⌘|Ctrl)\\+Enter to apply$", "按 $1+回车键确认"]]

_JS = """
// A rerun may replace the element that had the focus (Streamlit redraws a widget); the page would drop the focus
// to the top. Remember what had it, and when that element is gone, focus its redrawn twin (same key, same label).
function identity(element) {
  const keyed = element.closest("[class*='st-key-']");
  const key = keyed ? [...keyed.classList].find((c) => c.startsWith("st-key-")) : null;
  return { key, label: element.getAttribute("aria-label"), tag: element.tagName, text: (element.innerText || "").trim() };
}
function twin(doc, who) {
  const scope = who.key ? doc.querySelector("." + CSS.escape(who.key)) : doc;
  if (!scope) return null;
  const candidates = [...scope.querySelectorAll(who.tag)];
  const same = candidates.find((c) => c.getAttribute("aria-label") === who.label &&
                                      (who.label || c.innerText.trim() === who.text));
  return same || (who.key && candidates.length === 1 ? candidates[0] : null);  // a keyed widget whose text changed
}
function keepFocus(doc) {
  if (window.__fanzhaFocus) return;
  window.__fanzhaFocus = { last: null, who: null };
  doc.addEventListener("focusin", (event) => {
    window.__fanzhaFocus.last = event.target;
    window.__fanzhaFocus.who = identity(event.target);
  });
  new MutationObserver(() => {
    const state = window.__fanzhaFocus;
    if (!state.last || state.last.isConnected) return;
    if (doc.activeElement && doc.activeElement !== doc.body) return;
    const again = twin(doc, state.who);
    if (again) { state.last = again; again.focus({ preventScroll: true }); }
  }).observe(doc.body, { subtree: true, childList: true });
}

export default function (component) {
  const labels = component.data.labels, patterns = component.data.patterns.map(([p, r]) => [new RegExp(p), r]);
  const hints = component.data.hints.map(([p, r]) => [new RegExp(p), r]);
  const doc = document;
  const chinese = (text) => {
    if (text in labels) return labels[text];
    for (const [pattern, replacement] of patterns) if (pattern.test(text)) return text.replace(pattern, replacement);
    return null;
  };
  const relabel = (root) => {
    doc.documentElement.lang = "zh-CN";
    for (const element of root.querySelectorAll("[aria-label], [title]")) {
      for (const name of ["aria-label", "title"]) {
        const value = element.getAttribute(name), better = value && chinese(value);
        if (better) element.setAttribute(name, better);
      }
    }
    for (const box of root.querySelectorAll("[data-testid='InputInstructions']")) {
      const walker = doc.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue.trim();
        for (const [pattern, replacement] of hints) {
          if (pattern.test(text)) { node.nodeValue = text.replace(pattern, replacement); break; }
        }
      }
    }
  };
  relabel(doc);
  keepFocus(doc);
  if (!window.__fanzhaRelabel) {
    let pending = false;  // at most one pass per frame, however busy the page is
    window.__fanzhaRelabel = new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; relabel(doc); });
    });
    window.__fanzhaRelabel.observe(doc.body, { subtree: true, childList: true, characterData: true, attributes: true,
                                               attributeFilter: ["aria-label", "title"] });
  }
}
"""
_relabel = st.components.v2.component("fanzha_chinese_labels", js=_JS)


def chinese_labels() -> None:
    """Mount the relabelling once on every page run (it draws nothing)."""
    _relabel(data={"labels": LABELS, "patterns": PATTERNS, "hints": HINTS}, key="chinese_labels")


