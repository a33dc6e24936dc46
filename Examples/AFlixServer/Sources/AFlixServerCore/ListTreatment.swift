import AFlix
import Foundation

/// What an experiment's variants change in the served recommendation lists: each user gets the
/// lists of their variant (the library's assignment rule, ``Experiment/variantIndex(forUser:)``),
/// so that the experiment's conversions compare the variants' lists.
///
/// An experiment created with `"applies_to"` is one; the newest of them serves (a newer one
/// replaces it). Variants are parsed when the experiment is created, so a bad one is a 400 then,
/// never a failure on the request path.
public struct ListTreatment: Sendable {
  /// What the variants set.
  public enum Kind: String, Sendable, CaseIterable {
    /// The hybrid's weights: `measured` (the library's default chain), `original` (0.6 / 0.3 /
    /// 0.1 for everyone) or `c/t/p`, a fixed collaborative / content / popularity mix
    /// (non-negative, one positive; e.g. `0.5/0.2/0.3`).
    case weights
    /// The diversity re-ranking: `off`, `original` (the original's genre-overlap rule) or
    /// `mmr:λ` with λ in [0, 1].
    case diversity
    /// The collaborative part's K: variants are factor counts (`25`, `30`, `35`); a user's list
    /// comes from the hybrid with a truncated SVD as its collaborative part, served from the
    /// leading K of its factors (the library's `FactorLadder`, fitted once per model at the
    /// largest K). Built off the request path for each served model.
    case kSVD = "k_svd"
  }

  /// The experiment.
  public let experiment: Experiment
  /// What its variants set.
  public let kind: Kind
  private let weights: [HybridWeights]
  private let diversities: [DiversityReranking]
  /// A `k_svd` experiment's factor counts, by variant (empty for the other kinds).
  public let factorCounts: [Int]

  /// Reads each of `experiment`'s variants as a setting of `kind`.
  ///
  /// - Throws: ``ListTreatmentError`` naming the first variant that is not one.
  public init(experiment: Experiment, appliesTo kind: Kind) throws {
    self.experiment = experiment
    self.kind = kind
    var weights: [HybridWeights] = []
    var diversities: [DiversityReranking] = []
    var factorCounts: [Int] = []
    for variant in experiment.variants {
      switch kind {
      case .kSVD:
        guard let k = Int(variant), (1...Self.largestFactorCount).contains(k) else {
          throw ListTreatmentError(
            variant: variant, reason: "not a factor count in 1…\(Self.largestFactorCount)")
        }
        factorCounts.append(k)
      case .weights: weights.append(try Self.weights(parsing: variant))
      case .diversity:
        do {
          diversities.append(try DiversityReranking(parsing: variant))
        } catch let error as RecommendError {
          throw ListTreatmentError(variant: variant, reason: error.message)
        }
      }
    }
    self.weights = weights
    self.diversities = diversities
    self.factorCounts = factorCounts
  }

  /// The largest K a `k_svd` variant may ask for (the SVD is also bounded by the data:
  /// min(users, films) − 1).
  public static let largestFactorCount = 500

  /// The weights a variant of a `weights` experiment names.
  static func weights(parsing text: String) throws -> HybridWeights {
    switch text.lowercased() {
    case "measured": return .measured
    case "original": return .original
    default:
      let values = text.split(separator: "/", omittingEmptySubsequences: false).map {
        Float($0.trimmingCharacters(in: .whitespaces))
      }
      guard values.count == 3, let c = values[0], let t = values[1], let p = values[2] else {
        throw ListTreatmentError(
          variant: text, reason: "not measured, original or collaborative/content/popularity")
      }
      let mix = HybridMix(collaborative: c, content: t, popularity: p)
      guard mix.isValid else {
        throw ListTreatmentError(
          variant: text, reason: "weights must be finite, non-negative, and one of them positive")
      }
      return try HybridWeights(fixed: mix)
    }
  }

  /// Sets `request`'s weights or diversity to those of variant `index` (an index of the
  /// experiment's variants; another index, or a `k_svd` experiment, leaves the request as it is).
  public func apply(variant index: Int, to request: inout HybridRequest) {
    switch kind {
    case .weights: if weights.indices.contains(index) { request.weights = weights[index] }
    case .diversity:
      if diversities.indices.contains(index) { request.diversity = diversities[index] }
    case .kSVD: break  // served by the variant's engine, not by the request
    }
  }
}

/// A variant that is not a setting of the experiment's ``ListTreatment/Kind``.
public struct ListTreatmentError: Error, Sendable, CustomStringConvertible {
  /// The variant.
  public var variant: String
  /// Why it is refused.
  public var reason: String

  /// A sentence for the client.
  public var description: String { "variant '\(variant)': \(reason)" }
}
