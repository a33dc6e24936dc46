import AFlix
import Foundation

/// Prints an ``EvaluationReport`` as a table or as the JSON object the issue defines.
enum ReportFormatter {
  /// One object: `rmse`, `mae`, `fit_seconds`, `predict_seconds`, `precision_at_K`,
  /// `recall_at_K`, `ndcg_at_K`, `map_at_K` (means over folds), `rmse_std`, `mae_std`,
  /// `…_at_K_std`, `fit_seconds_std`, `predict_seconds_std` (sample deviations), `hit_rate`,
  /// `coverage`, `novelty`, `intra_list_diversity` (means; the last with a catalog), and `folds`: per-fold objects with `name`, `users`,
  /// `intra_list_diversity` (with a catalog) and the figures above.
  /// `warnings` (what the command clamped or noticed) is always present, possibly empty.
  static func json(_ report: EvaluationReport, warnings: [String] = []) throws -> String {
    func figures(
      accuracy: AccuracyReport?, ranking: RankingReport, fit: Double, predict: Double
    ) -> [String: Any] {
      var o: [String: Any] = [
        "fit_seconds": fit, "predict_seconds": predict,
        "precision_at_\(report.k)": ranking.precision, "recall_at_\(report.k)": ranking.recall,
        "ndcg_at_\(report.k)": ranking.ndcg, "map_at_\(report.k)": ranking.map,
        "hit_rate": ranking.hitRate, "coverage": ranking.coverage, "novelty": ranking.novelty,
        "users": ranking.users,
      ]
      o["rmse"] = accuracy?.rmse ?? NSNull()
      o["mae"] = accuracy?.mae ?? NSNull()
      if let d = ranking.intraListDiversity { o["intra_list_diversity"] = d }
      return o
    }
    let s = report.summary
    var top: [String: Any] = [
      "model": report.model, "k": report.k, "relevant": report.relevance,
      "fit_seconds": s.fitSeconds.mean, "predict_seconds": s.predictSeconds.mean,
      "precision_at_\(report.k)": s.precision.mean, "recall_at_\(report.k)": s.recall.mean,
      "ndcg_at_\(report.k)": s.ndcg.mean, "map_at_\(report.k)": s.map.mean,
      "precision_at_\(report.k)_std": s.precision.std, "recall_at_\(report.k)_std": s.recall.std,
      "ndcg_at_\(report.k)_std": s.ndcg.std, "map_at_\(report.k)_std": s.map.std,
      "fit_seconds_std": s.fitSeconds.std, "predict_seconds_std": s.predictSeconds.std,
      "hit_rate": s.hitRate.mean, "coverage": s.coverage.mean, "novelty": s.novelty.mean,
    ]
    if let d = s.intraListDiversity { top["intra_list_diversity"] = d.mean }
    top["rmse"] = s.rmse?.mean ?? NSNull()
    top["mae"] = s.mae?.mean ?? NSNull()
    top["warnings"] = warnings
    top["rmse_std"] = s.rmse?.std ?? NSNull()
    top["mae_std"] = s.mae?.std ?? NSNull()
    top["folds"] = report.folds.map { f in
      var o = figures(
        accuracy: f.accuracy, ranking: f.ranking, fit: f.fitSeconds, predict: f.predictSeconds)
      o["name"] = f.name
      return o
    }
    let data = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  /// A fixed-width table: one row per fold, then mean ± std.
  static func table(_ report: EvaluationReport) -> String {
    let k = report.k
    var lines = [
      "model \(report.model), k = \(k), relevant: \(report.relevance)",
      pad(["fold", "RMSE", "MAE", "P@\(k)", "R@\(k)", "NDCG@\(k)", "MAP@\(k)", "fit s", "pred s"]),
    ]
    for f in report.folds {
      lines.append(
        pad([
          f.name, f.accuracy.map { fmt($0.rmse) } ?? "—", f.accuracy.map { fmt($0.mae) } ?? "—",
          fmt(f.ranking.precision), fmt(f.ranking.recall), fmt(f.ranking.ndcg),
          fmt(f.ranking.map), fmt(f.fitSeconds, 3), fmt(f.predictSeconds, 3),
        ]))
    }
    func pm(_ m: MeanAndDeviation?, _ digits: Int = 4) -> String {
      m.map { "\(fmt($0.mean, digits))±\(fmt($0.std, digits))" } ?? "—"
    }
    let s = report.summary
    lines.append(
      pad([
        "mean", pm(s.rmse), pm(s.mae), pm(s.precision), pm(s.recall), pm(s.ndcg), pm(s.map),
        pm(s.fitSeconds, 3), pm(s.predictSeconds, 3),
      ]))
    return lines.joined(separator: "\n")
  }

  static func fmt(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }

  static func pad(_ cells: [String]) -> String {
    cells.enumerated().map { i, c in
      let w = i == 0 ? 10 : 15
      return c.count >= w ? c + " " : c + String(repeating: " ", count: w - c.count)
    }.joined()
  }
}
