/* Zeren: autosave that never loses input, uploads with progress, small conveniences.
   No build step, no dependencies beyond the vendored htmx. */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var T = zh ? {
    saving: "正在保存…", saved: "已自动保存", failed: "保存失败，正在重试", session: "登录已过期：请在新标签页重新登录，您输入的内容仍保留在页面上，登录后会自动保存",
    idle: "您已较长时间未操作，将在 %s 秒后自动退出登录。已输入的内容会保留在本机，重新登录后自动保存。", stay: "继续工作", chars: "%n / %m 字",
    unsaved: "还有内容没有保存，确定离开吗？", uploading: "正在上传…", uploaded: "上传完成", uploadFailed: "上传失败：", network: "网络中断，请检查网络后重试"
  } : {
    saving: "Saving…", saved: "Saved", failed: "Not saved, retrying", session: "Your session has expired: log in again in a new tab. What you typed stays on this page and will be saved after you log in",
    idle: "You have been inactive for a while and will be logged out in %s seconds. What you typed is kept on this computer and saved after you log in again.", stay: "Keep working", chars: "%n / %m characters",
    unsaved: "Some changes are not saved yet. Leave anyway?", uploading: "Uploading…", uploaded: "Upload complete", uploadFailed: "Upload failed: ", network: "The network is down; please check it and try again"
  };

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  /* ---------- autosave ---------- */
  var groups = {};

  function Group(url) {
    this.url = url;
    this.forms = [];
    this.version = null;
    this.pending = {};      // field -> value not yet confirmed by the server
    this.inflight = null;   // fields being sent
    this.timer = null;
    this.retry = 0;
    this.blocked = false;   // waiting for the user to resolve a conflict
  }
  Group.prototype.key = function () { return "zeren-autosave:" + this.url; };
  Group.prototype.status = function (text, cls) {
    this.forms.forEach(function (f) {
      var s = f.querySelector(".save-status");
      if (s) { s.textContent = text; s.className = "save-status " + (cls || ""); }
    });
  };
  Group.prototype.remember = function () {
    try {
      if (Object.keys(this.pending).length) localStorage.setItem(this.key(), JSON.stringify({ version: this.version, fields: this.pending }));
      else localStorage.removeItem(this.key());
    } catch (e) { /* storage full or disabled: the page still holds the text */ }
  };
  Group.prototype.change = function (name, value) {
    this.pending[name] = value;
    this.remember();
    this.schedule(700);
  };
  Group.prototype.schedule = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.send(); }, ms);
  };
  Group.prototype.fieldError = function (field, message) {
    this.forms.forEach(function (f) {
      f.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
      if (!field || !message) return;
      var input = f.querySelector("[name='" + field + "']");
      if (input) {
        var p = document.createElement("p");
        p.className = "error field-error"; p.id = "err-" + field; p.textContent = message;
        input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", p.id);
        input.insertAdjacentElement("afterend", p);
      }
    });
  };
  Group.prototype.send = function () {
    if (this.inflight || this.blocked) return;
    var names = Object.keys(this.pending);
    if (!names.length) return;
    var self = this, body = new URLSearchParams();
    this.inflight = {};
    names.forEach(function (n) { self.inflight[n] = self.pending[n]; body.append(n, self.pending[n]); });
    body.append("version", this.version);
    this.status(T.saving, "saving");
    fetch(this.url, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Zeren-Fetch": "1", "Accept": "application/json" } })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (d) { return { status: r.status, data: d }; }); })
      .then(function (res) { self.done(res.status, res.data); }, function () { self.done(0, {}); });
  };
  Group.prototype.done = function (status, data) {
    var self = this, sent = this.inflight || {};
    this.inflight = null;
    if (status === 200 && data.ok) {
      document.dispatchEvent(new CustomEvent("zeren:request"));  // the server saw activity
      this.version = data.version;
      Object.keys(sent).forEach(function (n) { if (self.pending[n] === sent[n]) delete self.pending[n]; });
      this.remember();
      this.retry = 0;
      this.fieldError(null);
      this.forms.forEach(function (f) { f.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); }); });
      this.status(T.saved + " " + (data.saved_at || ""), "saved");
      applyLive(data.live);
      if (Object.keys(this.pending).length) this.schedule(50);
      return;
    }
    if (status === 409) { this.conflict(data, sent); return; }
    if (status === 400 || status === 403 || status === 404) {
      // Refused: say why and keep the text; the next edit tries again.
      this.status(data.error || T.failed, "failed");
      if (data.field) this.fieldError(data.field, data.error);
      return;
    }
    this.retry = Math.min(this.retry + 1, 5);
    this.status(status === 401 ? T.session : T.failed, "failed");
    this.schedule(status === 401 ? 5000 : 1000 * Math.pow(2, this.retry - 1));
  };
  Group.prototype.conflict = function (data, sent) {
    var box = document.querySelector(".conflict");
    var self = this;
    this.blocked = true;
    this.status(data.message || "", "failed");
    if (!box) { this.version = data.version; this.blocked = false; return; }
    function show(obj) { return Object.keys(obj).map(function (k) { return obj[k] === null ? "" : String(obj[k]); }).join("\n\n"); }
    var names = Object.keys(sent);
    var theirs = {}; names.forEach(function (n) { theirs[n] = data.theirs[n]; });
    box.querySelector("#conflict-msg").textContent = data.message || "";
    box.querySelector(".theirs").textContent = show(theirs);
    box.querySelector(".mine").textContent = show(sent);
    box.hidden = false;
    box.querySelector(".keep-mine").focus();
    box.querySelector(".keep-mine").onclick = function () {
      box.hidden = true; self.blocked = false; self.version = data.version; self.remember(); self.send();
    };
    box.querySelector(".take-theirs").onclick = function () {
      box.hidden = true; self.blocked = false; self.version = data.version;
      names.forEach(function (n) { delete self.pending[n]; setField(self, n, data.theirs[n]); });
      self.remember(); self.status("", "");
    };
  };
  /* What a save changed elsewhere on the page: a flag shows or hides, a number is written. */
  function applyLive(live) {
    Object.keys(live || {}).forEach(function (key) {
      var value = live[key];
      document.querySelectorAll("[data-live='" + key + "']").forEach(function (el) {
        if (typeof value === "boolean") el.hidden = !value;
        else if (el.tagName === "PROGRESS") el.value = value;
        else el.textContent = value;
      });
    });
  }
  function setField(group, name, value) {
    group.forms.forEach(function (f) {
      f.querySelectorAll("[name='" + name + "']").forEach(function (el) {
        if (el.type === "radio") el.checked = String(el.value) === String(value);
        else el.value = value === null ? "" : value;
      });
    });
  }
  function initAutosave(form) {
    var url = form.dataset.url;
    var g = groups[url] || (groups[url] = new Group(url));
    g.forms.push(form);
    if (g.version === null) g.version = form.dataset.version;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", function (e) { if (e.target.name && e.target.type !== "radio") g.change(e.target.name, e.target.value); });
    form.addEventListener("change", function (e) { if (e.target.name) g.change(e.target.name, e.target.value); });
    // Text typed before a crash, a closed tab or a failed save comes back and is saved again.
    try {
      var saved = JSON.parse(localStorage.getItem(g.key()) || "null");
      if (saved && saved.fields && g.forms.length === 1) {
        g.version = saved.version;
        Object.keys(saved.fields).forEach(function (n) { setField(g, n, saved.fields[n]); g.pending[n] = saved.fields[n]; });
        g.schedule(300);
      }
    } catch (e) { /* ignore unreadable storage */ }
  }
  function leaveGuard(e) {
    for (var u in groups) { if (Object.keys(groups[u].pending).length) { e.preventDefault(); e.returnValue = T.unsaved; return T.unsaved; } }
  }
  window.addEventListener("beforeunload", leaveGuard);
  window.zerenAutosave = groups;

  /* ---------- uploads ---------- */
  function uploadFiles(url, files, item, scope) {
    if (!files || !files.length) return;
    var section = document.getElementById("evidence");
    var bar = section && section.querySelector(".upload-progress");
    var status = section && section.querySelector(".upload-status");
    var data = new FormData();
    for (var i = 0; i < files.length; i++) data.append("files", files[i]);
    if (item) data.append("item", item);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.setRequestHeader("X-Zeren-Fetch", "1");
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (status) status.textContent = T.uploading;
    xhr.upload.onprogress = function (e) { if (bar && e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    xhr.onload = function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/html") === 0 && section) {
        section.outerHTML = xhr.responseText;
        var fresh = document.getElementById("evidence");
        if (window.htmx) window.htmx.process(fresh);
        bindUploads(fresh);
        var st = fresh.querySelector(".upload-status");
        if (st && xhr.status === 200) st.textContent = T.uploaded;
      } else if (status) {
        var msg = ""; try { msg = JSON.parse(xhr.responseText).error; } catch (e) { msg = xhr.statusText; }
        status.textContent = T.uploadFailed + msg;
        if (bar) bar.hidden = true;
      }
    };
    xhr.onerror = function () { if (status) status.textContent = T.uploadFailed + T.network; if (bar) bar.hidden = true; };
    xhr.send(data);
  }
  function bindUploads(root) {
    (root || document).querySelectorAll(".upload-form").forEach(function (form) {
      var input = form.querySelector("input[type=file]");
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      input.addEventListener("change", function () { uploadFiles(form.dataset.url, input.files, form.dataset.item); });
    });
    (root || document).querySelectorAll(".dropzone").forEach(function (zone) {
      zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (e) { e.preventDefault(); zone.classList.remove("over"); uploadFiles(zone.dataset.url, e.dataTransfer.files, null); });
    });
  }

  /* ---------- idle timeout: a warning, then the login page; typed text stays in localStorage ---------- */
  function initIdle() {
    var total = parseInt(document.body.dataset.idleSeconds || "0", 10);
    if (!total) return;
    var warnAt = Math.max(total - Math.min(120, Math.floor(total / 3)), 1);
    var last = Date.now(), pinged = Date.now(), box = null;
    function ping() {
      pinged = Date.now();
      fetch(document.body.dataset.keepalive, { method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "X-Zeren-Fetch": "1" } }).catch(function () {});
    }
    function active() {
      last = Date.now();
      if (box) { box.remove(); box = null; }
      if (Date.now() - pinged > Math.min(60000, total * 250)) ping();
    }
    ["keydown", "input", "click", "scroll"].forEach(function (ev) { document.addEventListener(ev, active, { passive: true }); });
    // Requests the page makes itself (autosave) also keep the session alive.
    document.addEventListener("zeren:request", function () { last = Date.now(); pinged = Date.now(); });
    setInterval(function () {
      var idle = (Date.now() - last) / 1000;
      if (idle >= total) {
        for (var u in groups) groups[u].remember();
        window.removeEventListener("beforeunload", leaveGuard);
        location.href = document.body.dataset.login + "?next=" + encodeURIComponent(location.pathname + location.search);
        return;
      }
      if (idle >= warnAt && !box) {
        box = document.createElement("div");
        box.className = "idle-warning"; box.setAttribute("role", "alertdialog");
        var p = document.createElement("p"); box.appendChild(p);
        var b = document.createElement("button"); b.type = "button"; b.className = "primary"; b.textContent = T.stay;
        b.addEventListener("click", function () { active(); ping(); });
        box.appendChild(b);
        document.body.appendChild(box);
      }
      if (box) box.querySelector("p").textContent = T.idle.replace("%s", Math.max(0, Math.ceil(total - idle)));
    }, 1000);
  }

  /* ---------- length limits shown as a counter ---------- */
  function initCounters(root) {
    (root || document).querySelectorAll("textarea[maxlength], input[type=text][maxlength]").forEach(function (el) {
      if (el.dataset.counted) return;
      el.dataset.counted = "1";
      var max = parseInt(el.getAttribute("maxlength"), 10);
      if (!max || max < 200) return;
      var c = document.createElement("span");
      c.className = "char-count muted"; c.setAttribute("aria-live", "polite");
      function show() { c.textContent = T.chars.replace("%n", el.value.length).replace("%m", max); }
      el.addEventListener("input", show); show();
      el.insertAdjacentElement("afterend", c);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initIdle();
    initCounters(document);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (s) { s.addEventListener("change", function () { s.form.submit(); }); });
    document.querySelectorAll("button[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
    document.body.addEventListener("htmx:afterSwap", function (e) { initCounters(e.detail.target); });
    document.querySelectorAll("form.autosave").forEach(initAutosave);
    bindUploads(document);
    // Irreversible actions ask once more (the form also needs its confirmation box ticked).
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) { if (!window.confirm(f.dataset.confirm)) e.preventDefault(); });
    });
    document.querySelectorAll("form[data-once]").forEach(function (f) {
      f.addEventListener("submit", function () { var b = f.querySelector("button[type=submit]"); if (b) { setTimeout(function () { b.disabled = true; }, 0); } });
    });
    // [ and ] move between indicators when the cursor is not in a text field.
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.altKey || e.ctrlKey || e.metaKey || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      var link = e.key === "[" ? document.querySelector("a[rel=prev]") : e.key === "]" ? document.querySelector("a[rel=next]") : null;
      if (link) { e.preventDefault(); link.click(); }
    });
    document.body.addEventListener("htmx:configRequest", function (e) { e.detail.headers["X-CSRFToken"] = csrf(); });
    document.body.addEventListener("htmx:responseError", function (e) {
      var xhr = e.detail.xhr;
      if ((xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0 && e.detail.target) {
        e.detail.target.outerHTML = xhr.responseText;
        var fresh = document.getElementById("evidence");
        if (fresh) { window.htmx.process(fresh); bindUploads(fresh); }
      }
    });
  });
})();
