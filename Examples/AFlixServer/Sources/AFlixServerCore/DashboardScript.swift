/// The dashboard's script (``DashboardPage``), served at `GET /dashboard.js`: plain JavaScript
/// that calls the service's JSON routes with the admin's token and reads the optimisation's
/// Server-Sent Events through `fetch` (an `EventSource` cannot send the `Authorization` header).
enum DashboardScript {
  /// The script.
  static let source = #"""
    "use strict";
    const $ = (id) => document.getElementById(id);
    let token = null;

    function fail(message) {
      $("error").textContent = message;
      $("error").hidden = false;
    }

    function clearError() {
      $("error").hidden = true;
      $("error").textContent = "";
    }

    function number(value, digits = 3) {
      return typeof value === "number" && isFinite(value) ? value.toFixed(digits) : "—";
    }

    function element(tag, text, className) {
      const node = document.createElement(tag);
      if (text !== undefined) node.textContent = text;
      if (className) node.className = className;
      return node;
    }

    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

    async function api(path, options = {}) {
      const headers = { ...(options.headers || {}) };
      if (token) headers.Authorization = "Bearer " + token;
      if (options.body) headers["Content-Type"] = "application/json";
      const response = await fetch(path, { ...options, headers });
      const text = await response.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
      if (!response.ok) {
        const reason = body && body.error ? body.error.message : text.slice(0, 200);
        throw new Error(`${path}: ${response.status} ${reason}`);
      }
      return body;
    }

    function definitions(list, pairs) {
      list.replaceChildren();
      for (const [term, value] of pairs) {
        list.append(element("dt", term), element("dd", String(value)));
      }
    }

    async function loadStatus() {
      const status = await api("/api/recommendations/status");
      $("phase").textContent = status.model_phase;
      $("generation").textContent = status.model_generation ? `model #${status.model_generation}` : "";
      const cache = status.cache || {};
      const lookups = (cache.hits || 0) + (cache.misses || 0);
      definitions($("status"), [
        ["algorithm", status.algorithm],
        ["trained at", status.trained_at || "—"],
        ["K-SVD", status.k_svd ?? "—"],
        ["K-cluster", status.k_clusters ?? "—"],
        ["explained variance", number(status.explained_variance)],
        ["users · films", `${status.user_count} · ${status.film_count}`],
        ["ratings fitted", status.trained_rating_count ?? "—"],
        ["ratings stored", status.stored_rating_count],
        ["cache hit rate", lookups ? `${(100 * cache.hits / lookups).toFixed(1)} %` : "—"],
      ]);
      const jobs = status.scheduled_jobs || [];
      const every = (seconds) =>
        seconds ? `every ${Math.round(seconds / 3600 * 10) / 10} h` : "off";
      definitions($("jobs"), jobs.length ? jobs.map((job) => [
        job.name.replace("_", " "),
        (job.running ? `running${job.progress != null ? " " + Math.round(job.progress) + " %" : ""}`
          : job.last_outcome || "not run yet") +
          ` · ${every(job.interval_seconds)} · ${job.runs} runs` +
          (job.last_detail ? ` · ${job.last_detail}` : ""),
      ]) : [["none", "scheduled jobs are off"]]);
      return status;
    }

    async function loadHealth() {
      const response = await fetch("/health");
      const health = await response.json();
      $("health").textContent = health.status;
      $("health").className = "pill " + health.status;
    }

    async function loadEvaluation() {
      const evaluation = await api("/api/recommendations/evaluation");
      $("rmse").textContent = number(evaluation.held_out_rmse);
      $("mae").textContent = number(evaluation.held_out_mae);
      $("evaluation-note").textContent =
        `${Math.round(100 * evaluation.test_fraction)} % of ${evaluation.trained_rating_count} ` +
        `ratings held out · model #${evaluation.model_generation}`;
    }

    async function loadSegments() {
      const clustering = await api("/api/recommendations/clustering");
      const segments = clustering.segments;
      const width = 340, bar = 22, gap = 10, labelWidth = 150;
      const height = segments.length * (bar + gap);
      const svgNS = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
      svg.setAttribute("width", "100%");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "users per taste segment");
      if (!segments.length) {
        $("segments").replaceChildren(element("p", "no segments", "note"));
        return;
      }
      const largest = Math.max(...segments.map((s) => s.share));
      const colours = ["#3552c4", "#1a7f4b", "#b54708", "#7a2e98", "#0e7490", "#be123c", "#4d7c0f"];
      segments.forEach((segment, k) => {
        const y = k * (bar + gap);
        const label = document.createElementNS(svgNS, "text");
        label.setAttribute("x", 0);
        label.setAttribute("y", y + bar * 0.7);
        label.textContent = segment.label;
        const rect = document.createElementNS(svgNS, "rect");
        const length = Math.max(2, (width - labelWidth - 70) * segment.share / largest);
        rect.setAttribute("x", labelWidth);
        rect.setAttribute("y", y);
        rect.setAttribute("width", length);
        rect.setAttribute("height", bar);
        rect.setAttribute("rx", 3);
        rect.setAttribute("fill", colours[k % colours.length]);
        const title = document.createElementNS(svgNS, "title");
        title.textContent = `${segment.size} users, mean rating ${number(segment.mean_rating, 2)}`;
        rect.append(title);
        const value = document.createElementNS(svgNS, "text");
        value.setAttribute("x", labelWidth + length + 6);
        value.setAttribute("y", y + bar * 0.7);
        value.setAttribute("class", "value");
        value.textContent = `${(100 * segment.share).toFixed(0)} % · ${segment.size}`;
        svg.append(label, rect, value);
      });
      $("segments").replaceChildren(svg);
      $("segments-note").textContent =
        `K-means on ${clustering.factor_count} SVD factors of ${clustering.user_count} users, k = ${clustering.k}`;
    }

    async function loadRecommendations() {
      const user = $("user").value.trim();
      const list = $("recommendations");
      const answer = await api(
        `/api/recommendations/user/${encodeURIComponent(user)}?top_n=8&explain=true`);
      list.replaceChildren();
      for (const item of answer.recommendations) {
        const entry = element("li");
        entry.append(element("span", item.title, "title"), element("span", number(item.score, 2), "score"));
        const why = item.explanation ? item.explanation.summary : (item.reason || "");
        if (why) entry.append(element("span", why, "why"));
        list.append(entry);
      }
      if (answer.fallback) list.append(element("p", "cold start: a fallback list", "note"));
    }

    async function loadMonitor() {
      const monitor = await api("/api/admin/ml/live-monitor");
      const list = $("alerts");
      list.replaceChildren();
      const alerts = monitor.alerts.filter((a) => a.type === "alert");
      for (const alert of alerts) {
        list.append(element("li", `${alert.level}: ${alert.message}`, "alert-" + alert.level));
      }
      if (!alerts.length) list.append(element("li", "no alert in the last hour"));
    }

    async function refresh() {
      await Promise.all([loadStatus(), loadHealth(), loadEvaluation(), loadMonitor()]);
    }

    async function signIn(event) {
      event.preventDefault();
      try {
        const answer = await api("/api/auth/login", {
          method: "POST",
          body: JSON.stringify({ username: $("username").value, password: $("password").value }),
        });
        token = answer.access_token;
        $("login-card").hidden = true;
        $("main").hidden = false;
        document.body.dataset.state = "loading";
        for (;;) {
          const status = await loadStatus();
          if (status.trained) break;
          if (status.model_phase === "failed") throw new Error("the model's training failed");
          await sleep(1000);
        }
        await Promise.all([refresh(), loadSegments(), loadRecommendations()]);
        document.body.dataset.state = "ready";
        setInterval(() => refresh().catch((error) => fail(error.message)), 10000);
      } catch (error) {
        fail(error.message);
        document.body.dataset.state = "error";
      }
    }

    function addResult(event) {
      const row = element("tr");
      const cluster = event.type === "k_cluster_result";
      row.dataset.search = cluster ? "cluster" : "svd";
      row.dataset.k = event.k;
      const cells = [
        cluster ? "K-cluster" : "K-SVD", event.k,
        cluster ? "—" : number(event.validation_rmse, 4),
        cluster ? "—" : number(event.explained_variance),
        cluster ? number(event.silhouette_score) : "—",
        cluster ? number(event.balance, 2) : "—",
        number(event.composite_score, 4), number(event.seconds, 2),
      ];
      for (const cell of cells) row.append(element("td", String(cell)));
      document.querySelector("#k-table tbody").append(row);
    }

    function markBest(search, k) {
      for (const row of document.querySelectorAll(`#k-table tbody tr[data-search="${search}"]`)) {
        row.classList.toggle("best", Number(row.dataset.k) === k);
      }
    }

    function handle(event, chosen) {
      if (typeof event.progress === "number") $("progress").value = event.progress;
      switch (event.type) {
        case "status": $("opt-message").textContent = event.message; break;
        case "phase": $("opt-message").textContent = `searching ${event.phase.replace("_", "-")}`; break;
        case "k_svd_result": case "k_cluster_result": addResult(event); break;
        case "k_svd_optimal": chosen.svd = event.optimal_k; markBest("svd", event.optimal_k); break;
        case "k_cluster_optimal": chosen.cluster = event.optimal_k; markBest("cluster", event.optimal_k); break;
        case "completed":
          chosen.svd = event.final_k_svd;
          chosen.cluster = event.final_k_cluster;
          $("progress").value = $("progress").max;
          $("opt-message").textContent = "completed";
          break;
        case "error": throw new Error("the optimisation failed: " + event.message);
      }
      $("k-chosen").textContent =
        `K-SVD ${chosen.svd ?? "…"} · K-cluster ${chosen.cluster ?? "…"}`;
    }

    async function optimize() {
      const button = $("optimize");
      button.disabled = true;
      document.body.dataset.optimization = "running";
      document.querySelector("#k-table tbody").replaceChildren();
      $("progress").value = 0;
      const chosen = {};
      clearError();
      try {
        const response = await fetch("/api/admin/stream-k-optimization", {
          headers: { Authorization: "Bearer " + token },
        });
        if (!response.ok) {
          const text = await response.text();
          let reason = text.slice(0, 200);
          try { reason = JSON.parse(text).error.message; } catch (_) { /* not JSON */ }
          const retry = response.headers.get("Retry-After");
          throw new Error(`optimisation refused (${response.status}): ${reason}` +
            (retry ? ` — retry in ${retry} s` : ""));
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "", completed = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            for (const line of block.split("\n")) {
              if (!line.startsWith("data: ")) continue;
              const event = JSON.parse(line.slice(6));
              handle(event, chosen);
              if (event.type === "completed") completed = true;
            }
          }
        }
        if (!completed) throw new Error("the event stream ended before `completed`");
        document.body.dataset.optimization = "completed";
      } catch (error) {
        fail(error.message);
        document.body.dataset.optimization = "failed";
      } finally {
        button.disabled = false;
      }
    }

    $("login-form").addEventListener("submit", signIn);
    $("user-form").addEventListener("submit", (event) => {
      event.preventDefault();
      clearError();
      loadRecommendations().catch((error) => fail(error.message));
    });
    $("optimize").addEventListener("click", optimize);
    """#
}
