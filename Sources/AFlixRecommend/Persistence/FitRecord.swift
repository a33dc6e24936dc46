import AFlixData
import Foundation

/// How a model was fitted: the algorithm's name and every hyper-parameter it was fitted with.
///
/// Fitting sets a model's `fitRecord`; model files keep it in their JSON metadata, so a file says
/// which algorithm and settings produced it (a `biased-mf` file may come from `mf-sgd`, `mf-als`,
/// `svdpp` or `bpmf`). A model built from its parts has none.
///
/// ```swift
/// let model = try BiasedALS(factors: 32).fit(train)
/// model.fitRecord?.algorithm                       // "mf-als"
/// model.fitRecord?.hyperparameters["factors"]      // .integer(32)
/// ```
///
/// Values are kept as JSON holds them: a whole `Double` such as a shrinkage of `200.0` reads back
/// as `.integer(200)`, and a seed above `Int.max` as `.unsigned` (``HyperparameterValue/doubleValue``
/// reads any number). A model's `==` compares its record too: two fits with equal parameters but
/// different settings (say, an unused seed) are not equal.
public struct FitRecord: Sendable, Hashable, Codable {
  /// The algorithm's name, as the command line spells it (`"mf-als"`).
  public var algorithm: String
  /// The algorithm's configuration, by property name.
  public var hyperparameters: [String: HyperparameterValue]
  /// Where the training ratings came from and the K values, when the caller recorded them
  /// (``WorldCohortEvaluation`` does); `nil` otherwise, and in files written before it existed.
  public var provenance: ModelProvenance?

  /// Creates a record.
  public init(algorithm: String, hyperparameters: [String: HyperparameterValue]) {
    self.algorithm = algorithm
    self.hyperparameters = hyperparameters
  }

  /// The record of `configuration`, named `algorithm`: its `Encodable` form as a table of
  /// values. Non-finite numbers are kept as the text `"inf"`, `"-inf"` or `"nan"`; a
  /// configuration that does not encode as a keyed table is kept whole as text under
  /// `"configuration"` — building a record never fails.
  public init(algorithm: String, configuration: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let encoded = try? encoder.encode(configuration)
    let value = encoded.flatMap { try? JSONDecoder().decode(HyperparameterValue.self, from: $0) }
    guard case .table(let values) = value else {
      self.init(
        algorithm: algorithm,
        hyperparameters: ["configuration": .text(String(describing: configuration))])
      return
    }
    self.init(algorithm: algorithm, hyperparameters: values)
  }
}

/// One hyper-parameter's value, as JSON holds it.
public enum HyperparameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
  /// A flag.
  case bool(Bool)
  /// A whole number within `Int`'s range.
  case integer(Int)
  /// A whole number above `Int.max` (a seed, say).
  case unsigned(UInt64)
  /// Any other number.
  case number(Double)
  /// Text.
  case text(String)
  /// A list of values.
  case list([HyperparameterValue])
  /// Named values (a nested configuration, an enum's payload).
  case table([String: HyperparameterValue])
  /// No value.
  case null

  /// Decodes the first of bool, integer, unsigned, number, text, list, table or null that fits.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let v = try? c.decode(Bool.self) {
      self = .bool(v)
    } else if let v = try? c.decode(Int.self) {
      self = .integer(v)
    } else if let v = try? c.decode(UInt64.self) {
      self = .unsigned(v)
    } else if let v = try? c.decode(Double.self) {
      self = .number(v)
    } else if let v = try? c.decode(String.self) {
      self = .text(v)
    } else if let v = try? c.decode([HyperparameterValue].self) {
      self = .list(v)
    } else {
      self = .table(try c.decode([String: HyperparameterValue].self))
    }
  }

  /// Encodes the value as plain JSON.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .bool(let v): try c.encode(v)
    case .integer(let v): try c.encode(v)
    case .unsigned(let v): try c.encode(v)
    case .number(let v): try c.encode(v)
    case .text(let v): try c.encode(v)
    case .list(let v): try c.encode(v)
    case .table(let v): try c.encode(v)
    case .null: try c.encodeNil()
    }
  }

  /// The value of a number of any case (`integer`, `unsigned`, `number`) as a `Double`; `nil`
  /// for the other cases.
  public var doubleValue: Double? {
    switch self {
    case .integer(let v): return Double(v)
    case .unsigned(let v): return Double(v)
    case .number(let v): return v
    default: return nil
    }
  }

  /// The value as JSON-like text (`32`, `0.1`, `"biases"`, `{"k": 1}`).
  public var description: String {
    switch self {
    case .bool(let v): return String(v)
    case .integer(let v): return String(v)
    case .unsigned(let v): return String(v)
    case .number(let v): return String(v)
    case .text(let v): return "\"\(v)\""
    case .list(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
    case .table(let v):
      return "{" + v.keys.sorted().map { "\"\($0)\": \(v[$0]!)" }.joined(separator: ", ") + "}"
    case .null: return "null"
    }
  }
}

/// A fitted model that carries the record of its fit and its training history.
protocol RecordedFit {
  var fitRecord: FitRecord? { get set }
  var history: UserHistory { get set }
}

extension RecordedFit {
  /// The model with `record` as its ``FitRecord`` and the history of `data`.
  func fitted(_ record: FitRecord, on data: RatingsDataset) -> Self {
    var model = self
    model.fitRecord = record
    model.history = UserHistory(data)
    return model
  }
}

extension BaselineModel: RecordedFit {}
extension TruncatedSVDModel: RecordedFit {}
extension BiasedMFModel: RecordedFit {}
extension KNNBaselineModel: RecordedFit {}
extension BlendModel: RecordedFit {}
extension ImplicitALSModel: RecordedFit {}
extension EASEModel: RecordedFit {}
extension BPRModel: RecordedFit {}
extension PopularityModel: RecordedFit {}
