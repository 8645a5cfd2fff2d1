// The page of the ToDo app: list, add, check to delete, and which pod,
// node and cluster served it. Plain DOM, no third-party code (the CSP
// allows only this origin).
"use strict";

(() => {
  const list = document.getElementById("todo-list");
  const count = document.getElementById("todo-count");
  const form = document.getElementById("todo-form");
  const input = document.getElementById("todo-text");
  const addButton = document.getElementById("todo-add");
  const errorBox = document.getElementById("error");

  async function api(method, path, body) {
    const opts = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const res = await fetch(path, opts);
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || `${method} ${path}: HTTP ${res.status}`);
    return data;
  }

  function showError(err) {
    errorBox.textContent = err ? String(err.message || err) : "";
    errorBox.hidden = !err;
  }

  function updateCount() {
    count.textContent = String(list.children.length);
  }

  function render(todo) {
    const li = document.createElement("li");
    li.id = `todo-${todo._id}`;
    li.dataset.id = todo._id;
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "todo-done";
    box.addEventListener("change", () => remove(li, box));
    const text = document.createElement("span");
    text.className = "todo-text";
    text.textContent = todo.text;
    label.append(box, text);
    li.append(label);
    return li;
  }

  async function load() {
    try {
      const todos = await api("GET", "/api/todos");
      list.replaceChildren(...todos.map(render));
      updateCount();
      showError(null);
    } catch (err) {
      showError(err);
    }
  }

  async function remove(li, box) {
    box.disabled = true;
    try {
      await api("DELETE", `/api/todos/${encodeURIComponent(li.dataset.id)}`);
      li.remove();
      updateCount();
      showError(null);
    } catch (err) {
      if (err.message === "not found") {
        li.remove(); // already deleted elsewhere
        updateCount();
        return;
      }
      box.checked = false;
      box.disabled = false;
      showError(err);
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    addButton.disabled = true;
    try {
      const todo = await api("POST", "/api/todos", { text });
      list.append(render(todo));
      updateCount();
      input.value = "";
      showError(null);
    } catch (err) {
      showError(err);
    } finally {
      addButton.disabled = false;
      input.focus();
    }
  });

  async function loadInfo() {
    try {
      const info = await api("GET", "/api/info");
      for (const key of ["pod", "node", "cluster"]) {
        document.getElementById(`info-${key}`).textContent = info[key] || "(unknown)";
      }
    } catch (err) {
      // The list works without it; leave the placeholders.
    }
  }

  load();
  loadInfo();
})();
