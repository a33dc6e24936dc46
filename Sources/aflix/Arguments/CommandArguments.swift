import AFlix
import ArgumentParser
import Foundation

/// MovieLens 100k's predefined folds: `canonical` (u1–u5) or one of `u1` … `u5`.
struct FoldSelection: Hashable, CustomStringConvertible, ExpressibleByArgument {
  /// The fold numbers, 1…5.
  let folds: [Int]

  /// `canonical` or `u1` … `u5`.
  init?(argument: String) {
    guard let parsed = try? Self.parse(argument, allowsCanonical: true) else { return nil }
    self = parsed
  }

  private init(folds: [Int]) { self.folds = folds }

  /// `u1`.
  static let firstFold = FoldSelection(folds: [1])

  /// The folds `text` names; `canonical` only where `allowsCanonical`.
  static func parse(_ text: String, allowsCanonical: Bool) throws -> FoldSelection {
    if allowsCanonical, text == "canonical" { return FoldSelection(folds: Array(1...5)) }
    guard text.count == 2, text.first == "u", let n = Int(text.dropFirst()), (1...5).contains(n)
    else {
      throw ArgumentError(
        "--folds must be \(allowsCanonical ? "canonical or " : "")u1 … u5, got '\(text)'")
    }
    return FoldSelection(folds: [n])
  }

  /// `aflix evaluate --folds`: canonical or one fold.
  static func anyFolds(_ text: String) throws -> FoldSelection {
    try parse(text, allowsCanonical: true)
  }

  /// `aflix coldstart --folds`: one fold.
  static func oneFold(_ text: String) throws -> FoldSelection {
    try parse(text, allowsCanonical: false)
  }

  /// `canonical` or `uN`, as given.
  var description: String { folds.count == 1 ? "u\(folds[0])" : "canonical" }
}

/// Kept-rating counts of `aflix coldstart --n`: whole numbers from 0 to 1,000,000, separated by
/// commas, used in ascending order.
struct KeptCounts: Hashable, CustomStringConvertible {
  /// The counts, ascending.
  let values: [Int]

  /// Parses `text` (e.g. `0,1,3,5,10`).
  static func parse(_ text: String) throws -> KeptCounts {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    let values = parts.compactMap { Int($0) }
    guard !parts.isEmpty, values.count == parts.count,
      values.allSatisfy({ $0 >= 0 && $0 <= 1_000_000 })
    else {
      throw ArgumentError(
        "--n expects counts from 0 to 1,000,000 separated by commas, got '\(text)'")
    }
    return KeptCounts(values: values.sorted())
  }

  /// The counts separated by commas.
  var description: String { values.map(String.init).joined(separator: ",") }
}

/// `--rated ID=VALUE,…`: ratings that describe a user, values finite.
struct RatedItems: Hashable {
  /// The pairs, in the order given.
  let pairs: [RatedPair]

  /// One `ID=VALUE` pair.
  struct RatedPair: Hashable {
    /// The item, as the dataset spells it.
    let item: EntityID
    /// The rating.
    let value: Float
  }

  /// The pairs as the library's serving calls take them.
  var ratings: [(item: EntityID, value: Float)] { pairs.map { ($0.item, $0.value) } }

  /// Parses `ID=VALUE` pairs separated by commas.
  static func parse(_ text: String) throws -> RatedItems {
    let pairs = try text.split(separator: ",", omittingEmptySubsequences: true).map { pair in
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, let value = Float(parts[1].trimmingCharacters(in: .whitespaces)),
        value.isFinite, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty
      else {
        throw ArgumentError(
          "--rated expects ID=VALUE pairs separated by commas with finite values, got '\(pair)'")
      }
      return RatedPair(
        item: EntityID(parsing: parts[0].trimmingCharacters(in: .whitespaces)), value: value)
    }
    return RatedItems(pairs: pairs)
  }
}

/// `--genres Comedy,Drama`: genre names separated by commas.
struct GenreList: Hashable {
  /// The genres, in the order given.
  let genres: [Genre]

  /// The genres `text` names.
  static func parse(_ text: String) throws -> GenreList {
    let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
      throw ArgumentError("--genres expects genre names separated by commas, got '\(text)'")
    }
    return GenreList(genres: names.map { Genre.named($0) })
  }
}

/// `aflix optimize --strategy`: how K-SVD is chosen.
enum StrategyChoice: String, ExpressibleByArgument, CaseIterable {
  /// Held-out RMSE (or NDCG) over seeded folds, one-standard-error rule.
  case validation
  /// The original's composite score.
  case original
  /// The original's cross-validated RMSE variant.
  case originalRMSE = "original-rmse"
}

extension ValidationStrategy.Metric: ExpressibleByArgument {}
extension FactorCountSearch.Method: ExpressibleByArgument {}

/// `aflix optimize --model`: a registry model with a factor count (`factors` or `rank`).
struct FactorModelName: Hashable, CustomStringConvertible {
  /// The registry name.
  let name: String
  /// Whether the model predicts ratings (else it only ranks: no RMSE to validate on).
  let predictsRatings: Bool

  /// The model `text` names, or why it is not a factor model of the registry.
  static func parse(_ text: String) throws -> FactorModelName {
    guard AlgorithmRegistry.names.contains(text),
      (try? FactorCountSearch.factorParameter(of: text)) ?? nil != nil
    else {
      let factorModels = AlgorithmRegistry.names.filter {
        (try? FactorCountSearch.factorParameter(of: $0)) ?? nil != nil
      }
      throw ArgumentError(
        "--model must be a factor model of the registry (\(factorModels.joined(separator: ", "))), "
          + "got '\(text)'")
    }
    let predicts = (try? AlgorithmRegistry.defaultAlgorithm(named: text).predictsRatings) ?? true
    return FactorModelName(name: text, predictsRatings: predicts)
  }

  /// The registry name.
  var description: String { name }
}
