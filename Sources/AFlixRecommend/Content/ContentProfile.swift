import AFlixData
import AFlixLinalg

/// A user's taste in content traits: the weighted centroid of the feature rows of the films they
/// rated, scaled to unit L2 norm, as a sparse vector over ``ItemFeatures/traits``. Its dot
/// product with an item's row is their cosine (the content score).
///
/// ```swift
/// let profile = model.profile(forRatings: ratings)
/// model.features.sharedTraits(profile: profile, item: candidate)   // why it scores
/// ```
public struct ContentProfile: Sendable, Hashable {
  /// Trait columns, ascending.
  public let traits: [Int32]
  /// The weight of each trait; unit L2 norm overall (empty for an empty profile).
  public let weights: [Float]

  /// Creates a profile from its parts.
  ///
  /// - Precondition: `traits` ascend strictly and `weights` has one value per trait (checked).
  public init(traits: [Int32], weights: [Float]) {
    precondition(traits.count == weights.count, "one weight per trait")
    precondition(zip(traits, traits.dropFirst()).allSatisfy { $0 < $1 }, "traits ascend")
    self.traits = traits
    self.weights = weights
  }

  /// Whether the profile has no trait (no rated film with traits, or weights that cancel).
  public var isEmpty: Bool { traits.isEmpty }

  /// A profile whose traits are known to ascend (built by the model itself): no re-check.
  init(checkedTraits traits: [Int32], weights: [Float]) {
    self.traits = traits
    self.weights = weights
  }
}

/// How a user's ratings weigh the films in their content profile.
public enum ProfileWeighting: String, Sendable, Hashable, Codable, CaseIterable {
  /// Each film weighs its rating minus the user's own mean rating (films rated below the mean
  /// pull the profile away from their traits); when all the user's ratings are equal (one rating,
  /// or implicit data) every film weighs 1. The default.
  case meanCentred
  /// Each film weighs its rating.
  case rating
  /// Each film weighs 1.
  case uniform

  /// The weight of each rating of `values`.
  func weights(_ values: some Collection<Float>) -> [Float] {
    switch self {
    case .uniform: return [Float](repeating: 1, count: values.count)
    case .rating: return Array(values)
    case .meanCentred:
      guard let lo = values.min(), let hi = values.max(), lo < hi else {
        return [Float](repeating: 1, count: values.count)
      }
      let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
      return values.map { Float(Double($0) - mean) }
    }
  }
}

/// A dense accumulator for profiles: the scratch vector is reset only where it was touched, so
/// building many profiles costs their own size, not the vocabulary's, each.
struct ProfileAccumulator {
  private(set) var dense: [Float]
  private var touched: [Int32] = []
  private var isTouched: [Bool]

  init(traitCount: Int) {
    dense = [Float](repeating: 0, count: traitCount)
    isTouched = [Bool](repeating: false, count: traitCount)
  }

  /// Adds `weight ×` the rows of `items` to the scratch vector.
  mutating func add(
    _ features: ItemFeatures, items: some Collection<Int>, weights: [Float]
  ) {
    let m = features.matrix
    for (i, w) in zip(items, weights) where w != 0 && i >= 0 && i < m.rows {
      for k in m.rowOffsets[i]..<m.rowOffsets[i + 1] {
        let c = Int(m.columnIndices[k])
        if !isTouched[c] {
          isTouched[c] = true
          touched.append(Int32(c))
        }
        dense[c] += w * m.values[k]
      }
    }
  }

  /// The L2 norm of the accumulated vector.
  var norm: Double {
    touched.reduce(0.0) { $0 + Double(dense[Int($1)]) * Double(dense[Int($1)]) }.squareRoot()
  }

  /// The accumulated vector scaled to unit norm, as a sparse profile, and the scratch reset.
  mutating func takeProfile() -> ContentProfile {
    touched.sort()
    var norm = 0.0
    for c in touched { norm += Double(dense[Int(c)]) * Double(dense[Int(c)]) }
    norm = norm.squareRoot()
    var traits: [Int32] = []
    var weights: [Float] = []
    if norm > 0, norm.isFinite {
      for c in touched where dense[Int(c)] != 0 {
        traits.append(c)
        weights.append(Float(Double(dense[Int(c)]) / norm))
      }
    }
    for c in touched {
      dense[Int(c)] = 0
      isTouched[Int(c)] = false
    }
    touched.removeAll(keepingCapacity: true)
    return ContentProfile(traits: traits, weights: weights)
  }
}

extension ItemFeatures {
  /// The profile of a user who rated `items` (indices) with `values`, weighted by `weighting`;
  /// indices outside ``items`` are ignored.
  func profile(items: [Int], values: [Float], weighting: ProfileWeighting) -> ContentProfile {
    // The weighted rows' entries, sorted by (trait, position): each trait's terms are summed in
    // the order of the ratings, as a dense accumulator would — with no trait-sized scratch, so a
    // request costs O(entries log entries), not O(traits).
    let weights = weighting.weights(values)
    var stored = 0
    for i in items where i >= 0 && i < matrix.rows {
      stored += matrix.rowOffsets[i + 1] - matrix.rowOffsets[i]
    }
    // A small vocabulary (or many entries): a dense accumulator is cheaper than sorting.
    if traitCount <= max(4_096, 16 * stored) {
      var accumulator = ProfileAccumulator(traitCount: traitCount)
      accumulator.add(self, items: items, weights: weights)
      return accumulator.takeProfile()
    }
    var entries: [(trait: Int32, order: Int32, value: Float)] = []
    for (i, w) in zip(items, weights) where w != 0 && i >= 0 && i < matrix.rows {
      for k in matrix.rowOffsets[i]..<matrix.rowOffsets[i + 1] {
        entries.append((matrix.columnIndices[k], Int32(entries.count), w * matrix.values[k]))
      }
    }
    entries.sort { ($0.trait, $0.order) < ($1.trait, $1.order) }
    var traits: [Int32] = []
    var sums: [Float] = []
    for e in entries {
      if traits.last == e.trait {
        sums[sums.count - 1] += e.value
      } else {
        traits.append(e.trait)
        sums.append(0 + e.value)
      }
    }
    var norm = 0.0
    for v in sums { norm += Double(v) * Double(v) }
    norm = norm.squareRoot()
    guard norm > 0, norm.isFinite else { return ContentProfile(traits: [], weights: []) }
    var kept: [Int32] = []
    var scaled: [Float] = []
    for (t, v) in zip(traits, sums) where v != 0 {
      kept.append(t)
      scaled.append(Float(Double(v) / norm))
    }
    return ContentProfile(traits: kept, weights: scaled)
  }

  /// The cosine of `profile` with every item's row (0 for an empty row): over the profile's
  /// traits' items (``byTrait``) when they are fewer than the matrix's stored values, else one
  /// pass over every stored value against the profile scattered into a dense vector; the same
  /// sums either way (each item's terms in ascending trait order).
  ///
  /// - Complexity: O(min(items of the profile's traits, traits + stored values)), on the
  ///   calling thread.
  func scores(for profile: ContentProfile) -> [Float] {
    var out = [Float](repeating: 0, count: matrix.rows)
    out.withUnsafeMutableBufferPointer {
      scores(traits: profile.traits[...], weights: profile.weights[...], into: $0)
    }
    return out
  }

  /// ``scores(for:)`` of the profile `traits`/`weights` (ascending traits), written into `out`
  /// (one value per item, overwritten): the batch path's row, with no allocation on the posting
  /// path.
  func scores(
    traits: ArraySlice<Int32>, weights: ArraySlice<Float>, into y: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(y.count == matrix.rows, "one score per item")
    for i in 0..<y.count { y[i] = 0 }
    var postings = 0
    for t in traits where Int(t) < byTrait.rows {
      postings += byTrait.rowOffsets[Int(t) + 1] - byTrait.rowOffsets[Int(t)]
    }
    guard postings < matrix.values.count else {
      var dense = [Float](repeating: 0, count: traitCount)
      for (t, w) in zip(traits, weights) { dense[Int(t)] = w }
      let all = scores(dense: dense)
      for i in 0..<y.count { y[i] = all[i] }
      return
    }
    byTrait.rowOffsets.withUnsafeBufferPointer { offsets in
      byTrait.columnIndices.withUnsafeBufferPointer { itemsOfTrait in
        byTrait.values.withUnsafeBufferPointer { values in
          for (t, w) in zip(traits, weights) where Int(t) < byTrait.rows {
            for k in offsets[Int(t)]..<offsets[Int(t) + 1] {
              y[Int(itemsOfTrait[k])] += values[k] * w
            }
          }
        }
      }
    }
  }

  /// `matrix · dense` (one dot product per row over its stored values).
  func scores(dense: [Float]) -> [Float] {
    let n = matrix.rows
    var out = [Float](repeating: 0, count: n)
    guard !matrix.values.isEmpty else { return out }
    // Trait by trait over the profile's non-zero traits (each trait's items from `byTrait`)
    // when their items are fewer than all stored values — a profile of a few dozen films
    // touches a few genres' and decades' items and the short lists of its cast, directors and
    // keywords — else item by item over every stored value. Both add each item's terms in
    // ascending trait order: the same sums either way.
    let postings = byTrait.rowOffsets.withUnsafeBufferPointer { offsets in
      dense.withUnsafeBufferPointer { p in
        var total = 0
        for t in 0..<min(p.count, byTrait.rows) where p[t] != 0 {
          total += offsets[t + 1] - offsets[t]
        }
        return total
      }
    }
    let byTraits = postings < matrix.values.count
    let source = byTraits ? byTrait : matrix
    source.rowOffsets.withUnsafeBufferPointer { offsets in
      source.columnIndices.withUnsafeBufferPointer { indices in
        source.values.withUnsafeBufferPointer { values in
          dense.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { y in
              if byTraits {
                for t in 0..<min(p.count, source.rows) where p[t] != 0 {
                  let w = p[t]
                  for k in offsets[t]..<offsets[t + 1] { y[Int(indices[k])] += values[k] * w }
                }
              } else {
                for i in 0..<n {
                  var s: Float = 0
                  for k in offsets[i]..<offsets[i + 1] { s += values[k] * p[Int(indices[k])] }
                  y[i] = s
                }
              }
            }
          }
        }
      }
    }
    return out
  }
}
