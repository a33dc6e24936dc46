import Hummingbird

/// The operators' dashboard, `GET /`: one static page and its script (`GET /dashboard.js`), no
/// build step and nothing fetched from elsewhere. After an admin signs in it shows the model's
/// status, the held-out RMSE and MAE, the taste segments as a bar chart, a user's recommendations
/// with their explanations, the live monitor's alerts, the scheduled jobs, and a live K
/// optimisation (the SSE route) as a table that fills in and a progress bar.
///
/// `scripts/dashboard_screenshot.py` drives it in headless Chromium; the element ids and the
/// `data-state` / `data-optimization` attributes of `<body>` are what that script reads.
enum DashboardPage {
  /// The page's security policy: its own script and styles only, nothing framed, no plug-ins,
  /// and no HTML from strings (Trusted Types: the script writes text only).
  static let contentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
    + "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    + "require-trusted-types-for 'script'"

  /// The page.
  static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>AFlix · dashboard</title>
    <link rel="icon" href="data:,">
    <style>
    :root { --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --card: #fff;
      --accent: #3552c4; --good: #1a7f4b; --warn: #b54708; --bad: #b42318; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
      color: var(--ink); background: var(--bg); }
    header { display: flex; align-items: center; gap: 12px; padding: 14px 24px;
      background: var(--ink); color: #fff; }
    header h1 { font-size: 18px; margin: 0 12px 0 0; letter-spacing: .02em; }
    .pill { padding: 2px 10px; border-radius: 999px; font-size: 12px; background: #475467; }
    .pill.healthy { background: var(--good); } .pill.degraded { background: var(--warn); }
    .pill.unhealthy { background: var(--bad); }
    #error { margin: 16px 24px 0; padding: 10px 14px; border-radius: 8px; background: #fef3f2;
      color: var(--bad); border: 1px solid #fecdca; }
    main { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px;
      padding: 16px 24px 24px; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
      padding: 14px 18px; min-width: 0; }
    .wide { grid-column: span 2; } .full { grid-column: 1 / -1; }
    #login-card { max-width: 360px; margin: 32px auto; }
    h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
      margin: 0 0 10px; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 14px; margin: 0; }
    dt { color: var(--muted); } dd { margin: 0; font-variant-numeric: tabular-nums; }
    .metrics { display: flex; gap: 28px; }
    .big { display: block; font-size: 30px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .label { color: var(--muted); font-size: 12px; }
    .note { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
    form { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; margin-bottom: 10px; }
    label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--muted); }
    input { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; }
    button { font: inherit; padding: 6px 14px; border: 0; border-radius: 6px; background: var(--accent);
      color: #fff; cursor: pointer; }
    button:disabled { opacity: .5; cursor: default; }
    ol { margin: 0; padding-left: 22px; } li { margin: 0 0 8px; }
    li .title { font-weight: 600; } li .score { color: var(--muted); margin-left: 6px; }
    li .why { display: block; color: var(--muted); font-size: 12px; }
    .row { display: flex; gap: 12px; align-items: center; }
    progress { flex: 1; height: 12px; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid var(--line); }
    th:first-child, td:first-child { text-align: left; }
    th { font-weight: 600; color: var(--muted); font-size: 12px; }
    tr.best td { background: #eef4ff; font-weight: 600; }
    ul { margin: 0; padding-left: 18px; } .alert-warning { color: var(--warn); }
    .alert-critical { color: var(--bad); }
    svg text { font-size: 12px; fill: var(--ink); } svg .value { fill: var(--muted); }
    </style>
    </head>
    <body data-state="signed-out">
    <header>
      <h1>AFlix</h1>
      <span id="health" class="pill">—</span>
      <span id="phase" class="pill">—</span>
      <span id="generation"></span>
    </header>
    <p id="error" role="alert" hidden></p>
    <section id="login-card" class="card">
      <h2>Sign in (admin)</h2>
      <form id="login-form">
        <label>Username <input id="username" autocomplete="username" value="admin"></label>
        <label>Password <input id="password" type="password" autocomplete="current-password"></label>
        <button id="login" type="submit">Sign in</button>
      </form>
    </section>
    <main id="main" hidden>
      <section class="card">
        <h2>Model</h2>
        <dl id="status"></dl>
      </section>
      <section class="card">
        <h2>Accuracy on held-out ratings</h2>
        <div class="metrics">
          <div><span class="label">RMSE</span><span id="rmse" class="big">—</span></div>
          <div><span class="label">MAE</span><span id="mae" class="big">—</span></div>
        </div>
        <p id="evaluation-note" class="note"></p>
      </section>
      <section class="card">
        <h2>Live monitor</h2>
        <ul id="alerts"></ul>
        <h2 style="margin-top: 14px">Scheduled jobs</h2>
        <dl id="jobs"></dl>
      </section>
      <section class="card wide">
        <h2>Recommendations</h2>
        <form id="user-form">
          <label>User <input id="user" value="1" size="12"></label>
          <button id="show" type="submit">Show</button>
        </form>
        <ol id="recommendations"></ol>
      </section>
      <section class="card">
        <h2>Taste segments</h2>
        <div id="segments"></div>
        <p id="segments-note" class="note"></p>
      </section>
      <section class="card full">
        <h2>Live K optimisation</h2>
        <div class="row">
          <button id="optimize" type="button">Optimise K</button>
          <progress id="progress" max="100" value="0"></progress>
          <span id="opt-message" class="label"></span>
        </div>
        <p>Chosen: <strong id="k-chosen">—</strong></p>
        <table id="k-table">
          <thead><tr><th>search</th><th>K</th><th>validation RMSE</th><th>explained variance</th>
            <th>silhouette</th><th>balance</th><th>composite score</th><th>seconds</th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
    </main>
    <script src="/dashboard.js"></script>
    </body>
    </html>
    """#
}

extension API {
  /// `GET /`: the dashboard page.
  func dashboard() -> Response {
    staticResponse(DashboardPage.html, type: "text/html; charset=utf-8")
  }

  /// `GET /dashboard.js`: the dashboard's script.
  func dashboardScript() -> Response {
    staticResponse(DashboardScript.source, type: "text/javascript; charset=utf-8")
  }

  private func staticResponse(_ text: String, type: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = type
    headers[.cacheControl] = "no-cache"
    headers[.contentSecurityPolicy] = DashboardPage.contentSecurityPolicy
    headers[.xContentTypeOptions] = "nosniff"
    return Response(
      status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }
}
