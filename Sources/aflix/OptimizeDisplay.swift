import AFlix
import Foundation

/// What `aflix optimize` shows without `--json`: a table row per candidate on standard output as
/// it is scored, and, on a terminal, a progress bar on standard error (none when piped).
struct OptimizeDisplay {
  /// The progress bar (drawn only when enabled), cleared around each table line.
  private let bar: ProgressBar
  /// The progress of the last event.
  private(set) var progress = 0.0

  init(bar: Bool) {
    self.bar = ProgressBar("", enabled: bar)
  }

  /// Shows one event.
  mutating func show(_ event: OptimizationEvent) {
    progress = event.progress
    bar.clear()
    switch event {
    case .status(let message, _):
      bar.update(progress / 100, note: message)
      return
    case .matrixInfo(let users, let items, let ratings, let density, _):
      print(
        String(
          format: "%d users × %d items, %d ratings (density %.4f)", users, items, ratings, density))
    case .phase(let phase, _):
      switch phase {
      case .kSVD:
        print("\nK-SVD       EV   efficiency  overfitting  val. RMSE  val. NDCG@10     score  best")
      case .kCluster:
        print("\nK-cluster  silhouette  balance      inertia     score  best")
      }
    case .kSVDResult(let c, let isBest, _):
      print(
        String(
          format: "%5d  %7.4f  %11.5f  %11.4f  %@  %@  %8.4f  %@", c.k, c.explainedVariance,
          c.efficiency, c.overfittingRisk, Self.format(c.validationRMSE, width: 9),
          Self.format(c.validationNDCG, width: 12), c.compositeScore, isBest ? "*" : ""))
    case .kClusterResult(let c, let isBest, _):
      print(
        String(
          format: "%9d  %@  %7.4f  %11.1f  %@  %@", c.k, Self.format(c.silhouetteScore, width: 10),
          c.balance, c.inertia, Self.format(c.compositeScore, width: 8), isBest ? "*" : ""))
    case .kSVDOptimal(let k, let score, _):
      print(String(format: "chosen K-SVD: %d (score %.4f)", k, score))
    case .kClusterOptimal(let k, let score, _):
      print(String(format: "chosen K-cluster: %d (score %.4f)", k, score))
    case .completed(let kSVD, let kCluster, _):
      print("\ncompleted: K-SVD \(kSVD), K-cluster \(kCluster)")
    case .error(let message, _):
      FileHandle.standardError.write(Data("aflix: \(message)\n".utf8))
    case .alert(let alert, _):
      print("alert (\(alert.level.rawValue)): \(alert.message)")
    case .action(let action, _):
      print("action: \(action.remedy.rawValue) (\(action.message))")
    }
    fflush(nil)
    bar.update(progress / 100)
  }

  /// Removes the bar (before an error message or the end).
  func finish() {
    bar.clear()
  }

  /// `value` with four decimals (a dash when absent), right-aligned in `width` characters.
  private static func format(_ value: Double?, width: Int) -> String {
    let text = value.map { String(format: "%.4f", $0) } ?? "—"
    return String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
