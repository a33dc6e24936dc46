import Foundation

/// Small self-contained SVG charts for `aflix report`: every chart is one inline `<svg>` element,
/// no script, no external font.
enum SVGChart {
  static let width = 420.0
  static let height = 240.0
  static let margin = (left: 56.0, right: 16.0, top: 28.0, bottom: 40.0)
  /// Segment colours (colour-blind friendly, Okabe–Ito).
  static let palette = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
  ]

  /// `text` escaped for XML.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// `x` as a tick label: whole numbers with thousands separators, else four significant digits.
  static func number(_ x: Double) -> String {
    guard abs(x) >= 1_000 else { return String(format: "%.4g", x) }
    let digits = String(Int(x.rounded()).magnitude)
    var grouped = ""
    for (k, c) in digits.reversed().enumerated() {
      if k > 0 && k % 3 == 0 { grouped.append(",") }
      grouped.append(c)
    }
    return (x < 0 ? "−" : "") + String(grouped.reversed())
  }

  /// Maps `values` onto `0…1` over their range (a constant range is widened).
  static func scale(_ values: [Double]) -> (Double) -> Double {
    let lo = values.min() ?? 0
    let hi = values.max() ?? 1
    let span = hi > lo ? hi - lo : max(abs(hi), 1)
    let base = hi > lo ? lo : lo - span / 2
    return { ($0 - base) / span }
  }

  /// The frame, title and axis labels of a chart; `body` draws in plot coordinates.
  static func frame(
    title: String, xLabel: String, yLabel: String, xTicks: [(Double, String)],
    yTicks: [(Double, String)], body: String
  ) -> String {
    let (w, h, m) = (width, height, margin)
    var s = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" \
      viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="11">
      <text x="\(w / 2)" y="16" text-anchor="middle" font-size="13" font-weight="bold">\
      \(escape(title))</text>
      <line x1="\(m.left)" y1="\(h - m.bottom)" x2="\(w - m.right)" y2="\(h - m.bottom)" \
      stroke="#444"/>
      <line x1="\(m.left)" y1="\(m.top)" x2="\(m.left)" y2="\(h - m.bottom)" stroke="#444"/>

      """
    for (x, label) in xTicks {
      let px = m.left + x * (w - m.left - m.right)
      s +=
        "<text x=\"\(px)\" y=\"\(h - m.bottom + 14)\" text-anchor=\"middle\">\(escape(label))</text>\n"
    }
    for (y, label) in yTicks {
      let py = h - m.bottom - y * (h - m.top - m.bottom)
      s += "<text x=\"\(m.left - 4)\" y=\"\(py + 4)\" text-anchor=\"end\">\(escape(label))</text>\n"
      s +=
        "<line x1=\"\(m.left)\" y1=\"\(py)\" x2=\"\(w - m.right)\" y2=\"\(py)\" stroke=\"#ddd\"/>\n"
    }
    s += "<text x=\"\(w / 2)\" y=\"\(h - 6)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
    s +=
      "<text x=\"12\" y=\"\(h / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(h / 2))\">"
    s += "\(escape(yLabel))</text>\n" + body + "</svg>\n"
    return s
  }

  /// A line through `(x, y)` points with markers, the point at `marked` x circled.
  static func line(
    title: String, xLabel: String, yLabel: String, points: [(x: Double, y: Double)],
    marked: Double?
  ) -> String {
    guard !points.isEmpty else { return "" }
    let sx = scale(points.map(\.x))
    let sy = scale(points.map(\.y))
    let (w, h, m) = (width, height, margin)
    func px(_ x: Double) -> Double { m.left + 8 + sx(x) * (w - m.left - m.right - 16) }
    func py(_ y: Double) -> Double { h - m.bottom - 8 - sy(y) * (h - m.top - m.bottom - 16) }
    let path = points.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ")
    var body =
      "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" points=\"\(path)\"/>\n"
    for p in points {
      body += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"3\" fill=\"#0072B2\"/>\n"
      if p.x == marked {
        body +=
          "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"8\" fill=\"none\" stroke=\"#D55E00\" "
        body += "stroke-width=\"2\"/><text x=\"\(px(p.x))\" y=\"\(py(p.y) - 12)\" "
        body += "text-anchor=\"middle\" fill=\"#D55E00\">chosen</text>\n"
      }
    }
    let ys = points.map(\.y)
    let (lo, hi) = (ys.min()!, ys.max()!)
    return frame(
      title: title, xLabel: xLabel, yLabel: yLabel,
      xTicks: points.map { ((px($0.x) - m.left) / (w - m.left - m.right), number($0.x)) },
      yTicks: [
        ((py(lo) - (h - m.bottom)) / -(h - m.top - m.bottom), number(lo)),
        ((py(hi) - (h - m.bottom)) / -(h - m.top - m.bottom), number(hi)),
      ],
      body: body)
  }

  /// Vertical bars, one per label.
  static func bars(title: String, xLabel: String, yLabel: String, bars: [(String, Double)])
    -> String
  {
    guard let top = bars.map(\.1).max(), top > 0 else { return "" }
    let (w, h, m) = (width, height, margin)
    let slot = (w - m.left - m.right) / Double(bars.count)
    var body = ""
    var ticks: [(Double, String)] = []
    for (k, (label, value)) in bars.enumerated() {
      let bh = value / top * (h - m.top - m.bottom - 8)
      let x = m.left + Double(k) * slot + slot * 0.15
      body +=
        "<rect x=\"\(x)\" y=\"\(h - m.bottom - bh)\" width=\"\(slot * 0.7)\" height=\"\(bh)\" "
      body += "fill=\"#009E73\"/>\n"
      if bars.count <= 12 || k % 2 == 0 {
        ticks.append(((Double(k) + 0.5) / Double(bars.count), label))
      }
    }
    return frame(
      title: title, xLabel: xLabel, yLabel: yLabel, xTicks: ticks,
      yTicks: [(0, "0"), ((h - m.top - m.bottom - 8) / (h - m.top - m.bottom), number(top))],
      body: body)
  }

  /// Points coloured by group, each group's label at its centroid.
  static func scatter(
    title: String, points: [(x: Double, y: Double, group: Int)], labels: [String]
  ) -> String {
    guard !points.isEmpty else { return "" }
    // Axes over the 1st–99th percentiles, so that a few outliers do not squeeze the cloud; the
    // points beyond are left out of the drawing (their segment's label still counts them).
    func bounds(_ values: [Double]) -> (Double, Double) {
      let sorted = values.sorted()
      return (sorted[sorted.count / 100], sorted[sorted.count - 1 - sorted.count / 100])
    }
    let (xLow, xHigh) = bounds(points.map(\.x))
    let (yLow, yHigh) = bounds(points.map(\.y))
    let sx = scale([xLow, xHigh])
    let sy = scale([yLow, yHigh])
    let inside = points.filter { $0.x >= xLow && $0.x <= xHigh && $0.y >= yLow && $0.y <= yHigh }
    let (w, h, m) = (width, height, margin)
    func px(_ x: Double) -> Double { m.left + 4 + sx(x) * (w - m.left - m.right - 8) }
    func py(_ y: Double) -> Double { h - m.bottom - 4 - sy(y) * (h - m.top - m.bottom - 8) }
    var body = ""
    for p in inside {
      let colour = palette[p.group % palette.count]
      body += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"1.6\" fill=\"\(colour)\" "
      body += "fill-opacity=\"0.55\"/>\n"
    }
    for (g, label) in labels.enumerated() {
      let members = points.filter { $0.group == g }
      guard !members.isEmpty else { continue }
      let cx = members.map(\.x).reduce(0, +) / Double(members.count)
      let cy = members.map(\.y).reduce(0, +) / Double(members.count)
      body += "<text x=\"\(px(cx))\" y=\"\(py(cy))\" text-anchor=\"middle\" font-weight=\"bold\" "
      body += "fill=\"\(palette[g % palette.count])\" stroke=\"white\" stroke-width=\"3\" "
      body += "paint-order=\"stroke\">\(escape(label))</text>\n"
    }
    return frame(
      title: title, xLabel: "first principal component (1st–99th percentile)", yLabel: "second",
      xTicks: [],
      yTicks: [], body: body)
  }
}
