/// How to divide ratings into train and test (DESIGN §10), written on the command line as
/// `holdout:0.2`, `user-holdout:0.2`, `stratified:0.75`, `kfold:5`, `last:1`.
///
/// ```swift
/// let p = try SplitProtocol(parsing: "stratified:0.75")
/// let splits = try dataset.split(p, seed: 42)     // one split; kfold gives k
/// ```
///
/// Every protocol is deterministic for a seed (`SeededGenerator`, with a Fisher–Yates shuffle
/// written here so that it does not depend on the standard library's algorithm).
public enum SplitProtocol: Sendable, Hashable, CustomStringConvertible {
  /// A seeded random share `testFraction` of all ratings goes to test: the rating positions are
  /// shuffled and the first `round(testFraction · n)` are the test set.
  case holdout(testFraction: Double)
  /// Per user, a seeded random share `testFraction` of the user's ratings goes to test: the user
  /// keeps `min(d, max(minimumTrainRatings, roundHalfEven((1 − testFraction) · d)))` of their `d`
  /// ratings in train (so users with `d ≤ minimumTrainRatings` keep all). Each user's shuffle
  /// uses `SeededGenerator(seed: seed, stream: user index)`.
  case userHoldout(testFraction: Double, minimumTrainRatings: Int = 1)
  /// The per-user split written the way Microsoft Recommenders' `python_stratified_split` is, with
  /// `trainFraction` the share kept in train: each user keeps `roundHalfEven(trainFraction · d)`
  /// ratings in train (at least 1). `stratified:F` gives exactly `user-holdout:(1 − F)` for the
  /// same seed when `1 − (1 − F) == F` in floating point (as for 0.75, 0.8, 0.5).
  case stratified(trainFraction: Double)
  /// The ratings are shuffled and dealt round-robin into `k` folds; split `i` tests on fold `i`
  /// and trains on the rest. Every rating is in exactly one test fold.
  case kFold(Int)
  /// Per user, the `n` latest ratings by timestamp (ties broken by item index) go to test, but a
  /// user always keeps at least one rating in train. Needs timestamps.
  case lastN(Int)

  /// Parses `holdout:F`, `user-holdout:F` (or `user-holdout:F:M` with M the minimum train
  /// ratings), `stratified:F`, `kfold:K`, `last:N`.
  ///
  /// - Throws: ``DataError`` `.invalidArgument` for unknown text, a fraction outside (0, 1),
  ///   `k < 2` or `n < 1`.
  public init(parsing text: String) throws {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
      String($0).trimmingASCIISpaces()
    }
    func bad(_ message: String) -> DataError {
      DataError(.invalidArgument, field: "protocol", value: text, message: message)
    }
    func fraction(_ k: Int) throws -> Double {
      guard parts.count > k, let value = Double(parts[k]) else {
        throw bad("expected a fraction after ':'")
      }
      return value
    }
    func integer(_ k: Int) throws -> Int {
      guard parts.count > k, let value = Int(parts[k]) else {
        throw bad("expected an integer after ':'")
      }
      return value
    }
    let keyword = parts[0].lowercased()
    let parsed: SplitProtocol
    switch keyword {
    case "holdout":
      guard parts.count == 2 else { throw bad("expected holdout:F") }
      parsed = .holdout(testFraction: try fraction(1))
    case "user-holdout", "userholdout", "user_holdout":
      guard parts.count == 2 || parts.count == 3 else { throw bad("expected user-holdout:F") }
      parsed = .userHoldout(
        testFraction: try fraction(1), minimumTrainRatings: parts.count == 3 ? try integer(2) : 1)
    case "stratified":
      guard parts.count == 2 else { throw bad("expected stratified:F") }
      parsed = .stratified(trainFraction: try fraction(1))
    case "kfold", "k-fold":
      guard parts.count == 2 else { throw bad("expected kfold:K") }
      parsed = .kFold(try integer(1))
    case "last", "last-n", "lastn":
      guard parts.count == 2 else { throw bad("expected last:N") }
      parsed = .lastN(try integer(1))
    default:
      throw bad("unknown split protocol (holdout:F, user-holdout:F, stratified:F, kfold:K, last:N)")
    }
    do {
      try parsed.validate()
    } catch let error as DataError {
      throw bad(error.message)
    }
    self = parsed
  }

  /// The most folds `kFold` accepts: 1,000 (each fold copies the dataset; leave-one-out
  /// cross-validation on large data is not what k-fold is for).
  public static let maximumFolds = 1_000

  /// Checks the parameters: fractions in the open interval (0, 1), `2 ≤ k ≤ maximumFolds`, `n ≥ 1`, a minimum
  /// train count ≥ 0.
  ///
  /// - Throws: ``DataError`` `.invalidArgument`.
  public func validate() throws {
    func check(_ f: Double) throws {
      guard f.isFinite, f > 0, f < 1 else {
        throw DataError(
          .invalidArgument, field: "fraction", value: "\(f)",
          message: "a fraction must lie strictly between 0 and 1")
      }
    }
    switch self {
    case .holdout(let f): try check(f)
    case .userHoldout(let f, let m):
      try check(f)
      guard m >= 0 else {
        throw DataError(
          .invalidArgument, field: "minimumTrainRatings", value: String(m),
          message: "the minimum train count must be ≥ 0")
      }
    case .stratified(let f): try check(f)
    case .kFold(let k):
      guard k >= 2, k <= Self.maximumFolds else {
        throw DataError(
          .invalidArgument, field: "k", value: String(k),
          message: "k-fold needs 2 ≤ k ≤ \(Self.maximumFolds)")
      }
    case .lastN(let n):
      guard n >= 1 else {
        throw DataError(
          .invalidArgument, field: "n", value: String(n), message: "last:N needs N ≥ 1")
      }
    }
  }

  /// The protocol's keyword: `holdout`, `user-holdout`, `stratified`, `kfold`, `last`.
  public var keyword: String {
    switch self {
    case .holdout: return "holdout"
    case .userHoldout: return "user-holdout"
    case .stratified: return "stratified"
    case .kFold: return "kfold"
    case .lastN: return "last"
    }
  }

  /// The text ``init(parsing:)`` reads back: `holdout:0.2`, `user-holdout:0.2`, `kfold:5` …
  public var description: String {
    switch self {
    case .holdout(let f): return "holdout:\(f)"
    case .userHoldout(let f, let m): return m == 1 ? "user-holdout:\(f)" : "user-holdout:\(f):\(m)"
    case .stratified(let f): return "stratified:\(f)"
    case .kFold(let k): return "kfold:\(k)"
    case .lastN(let n): return "last:\(n)"
    }
  }
}
