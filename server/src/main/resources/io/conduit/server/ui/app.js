// The Conduit dashboard: plain JavaScript over the service's own JSON endpoints; charts are inline SVG.
"use strict";

const state = { token: sessionStorage.getItem("conduitToken") || "" };

async function api(path) {
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("this service needs a token");
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || ("HTTP " + response.status));
  }
  return body;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => k === "class" ? node.className = v : node.setAttribute(k, v));
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return node;
}

async function loadModels() {
  const list = document.getElementById("models");
  try {
    const { models } = await api("/conduit/v1/ui/models");
    list.replaceChildren(...models.map(m => el("li", {}, button(m))));
    if (models.length === 0) {
      list.replaceChildren(el("li", { class: "muted" }, "no models served"));
    }
  } catch (e) {
    list.replaceChildren(el("li", { class: "error" }, e.message));
  }
}

function button(model) {
  const b = el("button", { "data-model": model.name }, model.name);
  b.addEventListener("click", () => {
    document.querySelectorAll("nav button").forEach(x => x.classList.remove("selected"));
    b.classList.add("selected");
    showModel(model);
  });
  return b;
}

async function showModel(model) {
  const detail = document.getElementById("detail");
  detail.replaceChildren(el("h2", { id: "model-title" }, model.name));
  detail.append(versionsTable(model), el("h3", {}, "Lineage"), lineageGraph(model));
  detail.append(el("h3", {}, "Rollout rules"), rulesTable(model));
  const feedback = el("div", { id: "feedback" }, el("p", { class: "muted" }, "loading…"));
  const running = el("div", { id: "running" }, el("p", { class: "muted" }, "loading…"));
  detail.append(el("div", { class: "cards" },
    el("div", { class: "card" }, el("h3", {}, "Feedback"), feedback),
    el("div", { class: "card" }, el("h3", {}, "In production"), running)));
  showFeedback(model, feedback);
  showRunning(model, running);
}

function versionsTable(model) {
  const aliases = {};
  Object.entries(model.aliases).forEach(([a, v]) => (aliases[v] = aliases[v] || []).push(a));
  return el("table", { id: "versions" },
    el("tr", {}, el("th", {}, "Version"), el("th", {}, "Aliases"), el("th", {}, "Description")),
    model.versions.map(v => el("tr", {}, el("td", {}, v.version), el("td", {}, (aliases[v.version] || []).join(", ")),
      el("td", {}, v.description))));
}

function rulesTable(model) {
  if (model.rules.length === 0) {
    return el("p", { class: "muted" }, model.registryProblem || "no rollout rules: everyone gets the newest release");
  }
  return el("table", { id: "rules" }, el("tr", {}, el("th", {}, "Scope"), el("th", {}, "For"), el("th", {}, "Gets")),
    model.rules.map(r => el("tr", {}, el("td", {}, r.scope), el("td", {}, r.value || "everyone"), el("td", {}, r.target))));
}

// Versions left to right; an edge from each parent (name@version) to the version trained from it.
function lineageGraph(model) {
  const nodes = [];
  const edges = [];
  model.versions.forEach(v => {
    const id = model.name + "@" + v.version;
    if (!nodes.includes(id)) nodes.push(id);
    ((v.lineage && v.lineage.parents) || []).forEach(p => {
      if (!nodes.includes(p)) nodes.splice(nodes.indexOf(id), 0, p);
      edges.push([p, id]);
    });
  });
  const width = Math.max(320, nodes.length * 170);
  const graph = svg("svg", { id: "lineage", width, height: 70, viewBox: `0 0 ${width} 70` });
  const x = id => 20 + nodes.indexOf(id) * 170;
  edges.forEach(([a, b]) => graph.append(svg("line", { x1: x(a) + 140, y1: 35, x2: x(b), y2: 35, stroke: "#7a8396" })));
  nodes.forEach(id => {
    graph.append(svg("rect", { x: x(id), y: 20, width: 140, height: 30, rx: 5, fill: id.startsWith(model.name + "@")
      ? "#dbe6f7" : "#eceff4", stroke: "#3d6fb5" }));
    graph.append(svg("text", { x: x(id) + 8, y: 40 }, id));
  });
  return graph;
}

// The service lists notes a page at a time; the summary follows the cursors for up to FEEDBACK_PAGES pages.
const FEEDBACK_PAGES = 10;

async function feedbackPages(model) {
  const feedback = [];
  let cursor = "";
  for (let page = 0; page < FEEDBACK_PAGES; page++) {
    const answer = await api("/conduit/v1/feedback?limit=500&model=" + encodeURIComponent(model.name)
      + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    feedback.push(...answer.feedback);
    if (!answer.next) {
      return { feedback, more: false };
    }
    cursor = answer.next;
  }
  return { feedback, more: true };
}

async function showFeedback(model, target) {
  try {
    const { feedback, more } = await feedbackPages(model);
    if (feedback.length === 0) {
      target.replaceChildren(el("p", { class: "muted" }, "no feedback yet"));
      return;
    }
    const byVersion = {};
    feedback.forEach(f => (byVersion[f.version] = byVersion[f.version] || []).push(f));
    target.replaceChildren(el("table", { id: "feedback-table" },
      el("tr", {}, el("th", {}, "Version"), el("th", {}, "Notes"), el("th", {}, "Mean"), el("th", {}, "1–5")),
      Object.entries(byVersion).map(([version, notes]) => {
        const counts = [1, 2, 3, 4, 5].map(r => notes.filter(n => n.rating === r).length);
        const mean = notes.reduce((s, n) => s + n.rating, 0) / notes.length;
        return el("tr", {}, el("td", {}, version), el("td", {}, notes.length), el("td", {}, mean.toFixed(2)),
          el("td", {}, bars(counts)));
      })));
    if (more) {
      target.append(el("p", { class: "muted" }, "the oldest " + feedback.length + " notes; conduit feedback report has them all"));
    }
  } catch (e) {
    target.replaceChildren(el("p", { class: "muted" }, "feedback: " + e.message));
  }
}

function bars(counts) {
  const max = Math.max(1, ...counts);
  const chart = svg("svg", { width: 100, height: 24 });
  counts.forEach((c, i) => chart.append(svg("rect", { x: i * 20 + 2, y: 24 - 22 * c / max, width: 16,
    height: 22 * c / max, fill: i < 2 ? "#d9534f" : i === 2 ? "#f0ad4e" : "#5cb85c" })));
  return chart;
}

async function showRunning(model, target) {
  try {
    const [{ stats }, series] = await Promise.all([
      api("/conduit/v1/stats?model=" + encodeURIComponent(model.name)),
      api("/conduit/v1/ui/series?bucket=60&model=" + encodeURIComponent(model.name))]);
    if (stats.length === 0) {
      target.replaceChildren(el("p", { class: "muted" }, "no inferences recorded yet"));
      return;
    }
    target.replaceChildren(el("table", { id: "stats-table" },
      el("tr", {}, el("th", {}, "Version"), el("th", {}, "Route"), el("th", {}, "Calls"), el("th", {}, "p50 / p95 ms"),
        el("th", {}, "Errors"), el("th", {}, "Fallbacks")),
      stats.map(s => el("tr", {}, el("td", {}, s.version), el("td", {}, s.route || "(failed)"), el("td", {}, s.calls),
        el("td", {}, s.totalMs.p50 === undefined ? "–" : s.totalMs.p50 + " / " + s.totalMs.p95),
        el("td", {}, (100 * s.errorRate).toFixed(1) + "%"), el("td", {}, (100 * s.fallbackRate).toFixed(1) + "%")))),
      el("h3", {}, "Latency (p50) and routes, per minute"), timeChart(series.points));
  } catch (e) {
    target.replaceChildren(el("p", { class: "muted" }, "telemetry: " + e.message));
  }
}

function timeChart(points) {
  const width = 360, height = 140, left = 36, bottom = 20;
  const chart = svg("svg", { id: "latency-chart", width, height });
  if (points.length === 0) return chart;
  const maxMs = Math.max(1, ...points.map(p => p.totalMs.p50 || 0));
  const maxCalls = Math.max(1, ...points.map(p => Object.values(p.routes).reduce((a, b) => a + b, 0)));
  const step = (width - left) / Math.max(1, points.length);
  const colours = { "local-gpu": "#5cb85c", "local-cpu": "#3d6fb5", "remote": "#f0ad4e" };
  points.forEach((p, i) => {
    let y = height - bottom;
    Object.entries(p.routes).forEach(([route, n]) => {
      const h = (height - bottom - 10) * n / maxCalls;
      y -= h;
      chart.append(svg("rect", { x: left + i * step + 2, y, width: Math.max(2, step - 4), height: h,
        fill: colours[route] || "#999", opacity: 0.35 }));
    });
  });
  const line = points.map((p, i) => `${left + i * step + step / 2},${height - bottom - (height - bottom - 10) *
    (p.totalMs.p50 || 0) / maxMs}`).join(" ");
  chart.append(svg("polyline", { points: line, fill: "none", stroke: "#1d2a44", "stroke-width": 2 }));
  line.split(" ").forEach(xy => {
    const [cx, cy] = xy.split(",");
    chart.append(svg("circle", { cx, cy, r: 3, fill: "#1d2a44" }));
  });
  chart.append(svg("text", { x: 0, y: 12 }, maxMs.toFixed(1) + " ms"));
  chart.append(svg("text", { x: left, y: height - 4 }, points[0].at.substring(11, 16)));
  return chart;
}

document.getElementById("service").textContent = location.host;
document.getElementById("token-form").addEventListener("submit", event => {
  event.preventDefault();
  state.token = document.getElementById("token").value;
  sessionStorage.setItem("conduitToken", state.token);
  document.getElementById("token-form").hidden = true;
  loadModels();
});
loadModels();
