import Foundation

/// Every algorithm of the library by name, with its tuned defaults: name and hyper-parameters in,
/// a configured ``RecommenderAlgorithm`` out — the inverse of ``FitRecord``.
///
/// ```swift
/// let als = try AlgorithmRegistry.algorithm(named: "mf-als", hyperparameters: ["factors": .integer(32)])
/// let model = try als.fit(train)                                   // any RecommenderModel
/// let again = try AlgorithmRegistry.algorithm(for: model.fitRecord!)  // the same configuration
/// ```
///
/// Hyper-parameters are named as the algorithm's properties (`learningRate`, `neighbours`); a
/// nested configuration's as a dotted path (`baseline.userRegularization` of `knn`). A value of
/// another type than the property's, a name the algorithm does not have, and a value outside the
/// algorithm's domain are errors, never ignored.
public enum AlgorithmRegistry {
  /// The algorithms' names, as the command line spells them.
  public static let names = [
    "baseline", "svd", "mf-sgd", "mf-als", "svdpp", "knn", "bpmf", "blend", "ials", "ease", "bpr",
    "popularity",
  ]

  /// The algorithm `name` with its tuned defaults, seeded with `seed` where it draws numbers.
  ///
  /// - Throws: ``RecommendError`` `.unknownName` listing the known names.
  public static func defaultAlgorithm(named name: String, seed: UInt64 = 0) throws
    -> any RecommenderAlgorithm
  {
    switch name {
    case "baseline": return Baseline()
    case "svd": return TruncatedSVDRecommender(seed: seed)
    case "mf-sgd": return BiasedMF(seed: seed)
    case "mf-als": return BiasedALS(seed: seed)
    case "svdpp": return SVDPlusPlus(seed: seed)
    case "knn": return KNNBaseline()
    case "bpmf": return BayesianMF(seed: seed)
    case "blend": return Blend(seed: seed)
    case "ials": return ImplicitALS(seed: seed)
    case "ease": return EASE()
    case "bpr": return BPR(seed: seed)
    case "popularity": return PopularityAlgorithm()
    default:
      throw RecommendError(
        .unknownName,
        "unknown algorithm '\(name)' (known: \(names.joined(separator: ", ")))")
    }
  }

  /// The hyper-parameter names of algorithm `name`, sorted, nested ones as dotted paths.
  ///
  /// - Throws: ``RecommendError`` `.unknownName`.
  public static func hyperparameterNames(of name: String) throws -> [String] {
    let record = try defaultAlgorithm(named: name).fitRecord
    return flatten(record.hyperparameters).map(\.key).sorted()
  }

  /// The algorithm `name` with its tuned defaults overridden by `hyperparameters`; `seed`, when
  /// given, sets the `seed` of algorithms that have one (unless `hyperparameters` names it) and is
  /// ignored by the others.
  ///
  /// - Throws: ``RecommendError`` `.unknownName` for an unknown algorithm or a hyper-parameter it
  ///   does not have (the message lists those it has), `.invalidHyperparameter` for a value of
  ///   the wrong type or outside the algorithm's domain (``RecommenderAlgorithm/validateHyperparameters()``).
  public static func algorithm(
    named name: String, hyperparameters: [String: HyperparameterValue] = [:], seed: UInt64? = nil
  ) throws -> any RecommenderAlgorithm {
    var given = hyperparameters
    let base = try defaultAlgorithm(named: name, seed: seed ?? 0)
    if let seed, given["seed"] == nil, base.fitRecord.hyperparameters["seed"] != nil {
      given["seed"] = HyperparameterValue(seed)
    }
    let algorithm: any RecommenderAlgorithm
    if let blend = base as? Blend {
      algorithm = try configuredBlend(blend, given)
    } else {
      algorithm = try configured(base, given)
    }
    try algorithm.validateHyperparameters()
    return algorithm
  }

  /// The configuration `record` describes: ``FitRecord/algorithm`` with every recorded
  /// hyper-parameter.
  ///
  /// - Throws: as ``algorithm(named:hyperparameters:seed:)``.
  public static func algorithm(for record: FitRecord) throws -> any RecommenderAlgorithm {
    try algorithm(named: record.algorithm, hyperparameters: record.hyperparameters)
  }

  // MARK: - Implementation

  /// `base` with `given` laid over its encoded form, decoded back.
  private static func configured(
    _ base: some RecommenderAlgorithm, _ given: [String: HyperparameterValue]
  ) throws -> any RecommenderAlgorithm {
    guard let codable = base as? any (RecommenderAlgorithm & Codable) else {
      guard given.isEmpty else { throw unknown(given.keys.sorted()[0], of: base.name, known: []) }
      return base
    }
    return try overlay(codable, given)
  }

  private static func overlay<A: RecommenderAlgorithm & Codable>(
    _ base: A, _ given: [String: HyperparameterValue]
  ) throws -> A {
    var table = base.fitRecord.hyperparameters
    let known = flatten(table).map(\.key).sorted()
    // A nested table given whole (as a record holds it) sets its leaves one by one.
    let leaves = flatten(given)
    for (key, value) in leaves.sorted(by: { $0.key < $1.key }) {
      let path = key.split(separator: ".").map(String.init)
      guard set(&table, path: path[...], to: value) else {
        throw unknown(key, of: base.name, known: known)
      }
    }
    let encoder = JSONEncoder()
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      return try decoder.decode(A.self, from: encoder.encode(HyperparameterValue.table(table)))
    } catch let error as DecodingError {
      let byPath = Dictionary(leaves, uniquingKeysWith: { _, last in last })
      throw RecommendError(
        .invalidHyperparameter, "\(base.name): \(describe(error, given: byPath))")
    } catch {
      throw RecommendError(.invalidHyperparameter, "\(base.name): \(error)")
    }
  }

  private static func configuredBlend(_ base: Blend, _ given: [String: HyperparameterValue])
    throws -> Blend
  {
    var blend = base
    // The seed first: members given by name are seeded with it.
    if let value = given["seed"] {
      guard let v = value.unsignedValue else {
        throw wrongType("seed", "a whole number ≥ 0", value)
      }
      blend.seed = v
    }
    for key in given.keys.sorted() where key != "seed" {
      let value = given[key]!
      switch key {
      case "holdoutFraction", "ridge":
        guard let v = value.doubleValue else { throw wrongType(key, "a number", value) }
        if key == "ridge" { blend.ridge = v } else { blend.holdoutFraction = v }
      case "members":
        // Names (the algorithms' defaults) or fit records (their full configurations).
        guard case .list(let entries) = value else {
          throw wrongType(key, "a list of names or fit records", value)
        }
        blend.members = try entries.map { entry in
          switch entry {
          case .text(let name):
            return try defaultAlgorithm(named: name, seed: blend.seed)
          case .table(let record):
            guard case .text(let name)? = record["algorithm"] else {
              throw wrongType(key, "a list of names or fit records", value)
            }
            var settings: [String: HyperparameterValue] = [:]
            if case .table(let h)? = record["hyperparameters"] { settings = h }
            return try algorithm(named: name, hyperparameters: settings)
          default:
            throw wrongType(key, "a list of names or fit records", value)
          }
        }
      default:
        throw unknown(key, of: "blend", known: ["holdoutFraction", "members", "ridge", "seed"])
      }
    }
    if given["members"] == nil, let seed = given["seed"]?.unsignedValue {
      blend.members = Blend(seed: seed).members
    }
    return blend
  }

  /// Sets `path` in `table` to `value`; false when the path does not exist.
  private static func set(
    _ table: inout [String: HyperparameterValue], path: ArraySlice<String>,
    to value: HyperparameterValue
  ) -> Bool {
    guard let head = path.first, let current = table[head] else { return false }
    if path.count == 1 {
      if case .table = current { return false }
      table[head] = value
      return true
    }
    guard case .table(var nested) = current,
      set(&nested, path: path.dropFirst(), to: value)
    else { return false }
    table[head] = .table(nested)
    return true
  }

  /// Leaf values by dotted path.
  private static func flatten(_ table: [String: HyperparameterValue], prefix: String = "")
    -> [(key: String, value: HyperparameterValue)]
  {
    table.flatMap { key, value -> [(key: String, value: HyperparameterValue)] in
      if case .table(let nested) = value { return flatten(nested, prefix: prefix + key + ".") }
      return [(prefix + key, value)]
    }
  }

  private static func unknown(_ key: String, of name: String, known: [String]) -> RecommendError {
    RecommendError(
      .unknownName,
      "\(name) has no hyper-parameter '\(key)'"
        + (known.isEmpty ? " (it has none)" : " (it has: \(known.joined(separator: ", ")))"))
  }

  private static func wrongType(_ key: String, _ expected: String, _ value: HyperparameterValue)
    -> RecommendError
  {
    RecommendError(.invalidHyperparameter, "'\(key)' must be \(expected), got \(value)")
  }

  private static func describe(_ error: DecodingError, given: [String: HyperparameterValue])
    -> String
  {
    switch error {
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      let key = context.codingPath.map(\.stringValue).joined(separator: ".")
      let value = given[key].map { ", got \($0)" } ?? ""
      return "'\(key)' must be a value of type \(type)\(value)"
    case .dataCorrupted(let context):
      let key = context.codingPath.map(\.stringValue).joined(separator: ".")
      let value = given[key].map { ", got \($0)" } ?? ""
      return "'\(key)' is not valid\(value): \(context.debugDescription)"
    case .keyNotFound(let key, _):
      return "'\(key.stringValue)' is missing"
    @unknown default:
      return "\(error)"
    }
  }
}

extension HyperparameterValue {
  /// A seed or other unsigned value as a hyper-parameter.
  init(_ value: UInt64) {
    self = value <= UInt64(Int.max) ? .integer(Int(value)) : .unsigned(value)
  }

  /// The value as a `UInt64` when it is a whole number ≥ 0.
  var unsignedValue: UInt64? {
    switch self {
    case .integer(let v) where v >= 0: return UInt64(v)
    case .unsigned(let v): return v
    default: return nil
    }
  }
}
