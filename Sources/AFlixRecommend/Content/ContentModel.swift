import AFlixData
import AFlixLinalg

/// A fitted ``ContentBased`` model: the items' content features and the users' training ratings,
/// from which each user's profile is computed **at request time** (a profile costs the rated
/// films' stored traits; scoring one pass over the feature matrix's stored values, on the calling
/// thread — for 50,000 films of about a dozen traits each, some 600,000 multiply-adds; the
/// measured latency is in <doc:HybridRecommender>).
///
/// ```swift
/// let model = try ContentBased(catalog: catalog).fit(train)
/// let scores = model.scores(forUser: 0)                    // cosines, −1…1
/// let why = model.sharedTraits(user: 42, item: 50)         // e.g. "genre:Science Fiction"
/// ```
///
/// - Known users: their profile from their training ratings; ``scores(forUser:)`` equals
///   ``scores(forRatings:)`` given the same ratings.
/// - Unknown users (``scoresForUnknownUser()``): the cosine with the mean of every known user's
///   unit profile, scaled to unit norm, as ``PredictionSource/averageUser`` (computed once when
///   the model is built).
/// - Items without features (not in the catalog) score 0 for everyone and are similar to nothing.
public struct ContentModel: RecommenderModel, Equatable {
  /// The users of the training data.
  public let users: IDMap
  /// The item features; their ``ItemFeatures/items`` are the model's items.
  public let features: ItemFeatures
  /// The training ratings, `users.count × items.count`: the users' profiles come from them.
  public let ratings: SparseMatrix<Float>
  /// How ratings weigh films in a profile.
  public let profileWeighting: ProfileWeighting
  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items (the columns of ``ratings``): what
  /// ``recommend(user:count:excluding:where:)`` leaves out by default.
  public let history: UserHistory
  /// The unknown user's profile and scores, computed once.
  let averageProfile: ContentProfile
  let averageScores: [Float]
  /// Every known user's profile, computed once (CSR: offsets, traits, weights), so that a known
  /// user's request, and the batch path, only score.
  let profileOffsets: [Int]
  let profileTraits: [Int32]
  let profileWeights: [Float]
  /// The frequent traits as a dense block, for the batch path.
  let denseTraits: DenseTraits?

  /// Creates a model from its parts.
  ///
  /// - Precondition: `ratings` is `users.count × features.items.count` (checked).
  public init(
    users: IDMap, features: ItemFeatures, ratings: SparseMatrix<Float>,
    profileWeighting: ProfileWeighting = .meanCentred
  ) {
    precondition(
      ratings.rows == users.count && ratings.columns == features.items.count,
      "ratings of shape \(ratings.rows) × \(ratings.columns) for \(users.count) users and "
        + "\(features.items.count) items")
    self.users = users
    self.features = features
    self.ratings = ratings
    self.profileWeighting = profileWeighting
    // A valid CSR matrix is a valid history, so the fallback is never taken.
    self.history =
      (try? UserHistory(
        offsets: ratings.rowOffsets, itemIndices: ratings.columnIndices, items: ratings.columns))
      ?? UserHistory(emptyFor: users.count)
    let (average, offsets, traits, weights) = Self.profiles(
      features: features, ratings: ratings, weighting: profileWeighting)
    self.averageProfile = average
    self.profileOffsets = offsets
    self.profileTraits = traits
    self.profileWeights = weights
    self.averageScores = features.scores(for: average)
    self.denseTraits = DenseTraits(features)
  }

  /// The model's items.
  public var items: IDMap { features.items }

  /// The unit-norm mean of the users' unit profiles (empty when no user has one).
  static func profiles(
    features: ItemFeatures, ratings: SparseMatrix<Float>, weighting: ProfileWeighting
  ) -> (average: ContentProfile, offsets: [Int], traits: [Int32], weights: [Float]) {
    var accumulator = ProfileAccumulator(traitCount: features.traitCount)
    var sum = [Double](repeating: 0, count: features.traitCount)
    var offsets = [0]
    var allTraits: [Int32] = []
    var allWeights: [Float] = []
    offsets.reserveCapacity(ratings.rows + 1)
    for u in 0..<ratings.rows {
      let (columns, values) = ratings.row(u)
      accumulator.add(
        features, items: columns.lazy.map { Int($0) }, weights: weighting.weights(values))
      let profile = accumulator.takeProfile()
      for (t, w) in zip(profile.traits, profile.weights) { sum[Int(t)] += Double(w) }
      allTraits += profile.traits
      allWeights += profile.weights
      offsets.append(allTraits.count)
    }
    let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else {
      return (ContentProfile(traits: [], weights: []), offsets, allTraits, allWeights)
    }
    var traits: [Int32] = []
    var weights: [Float] = []
    for (t, s) in sum.enumerated() where Float(s / norm) != 0 {
      traits.append(Int32(t))
      weights.append(Float(s / norm))
    }
    return (ContentProfile(traits: traits, weights: weights), offsets, allTraits, allWeights)
  }

  /// User index `user`'s profile from their training ratings.
  ///
  /// - Precondition: `0 ≤ user < users.count` (checked).
  public func profile(forUser user: Int) -> ContentProfile {
    requireIndices(user: user, item: nil)
    let range = profileOffsets[user]..<profileOffsets[user + 1]
    return ContentProfile(
      checkedTraits: Array(profileTraits[range]), weights: Array(profileWeights[range]))
  }

  /// The profile of a user described by `ratings` (item indices of this model).
  public func profile(forRatings ratings: UserRatings) -> ContentProfile {
    features.profile(items: ratings.items, values: ratings.values, weighting: profileWeighting)
  }

  /// The cosine of user `user`'s profile with every item; for a user whose profile is empty
  /// (every film they rated lacks features, or their mean-centred weights cancel), the unknown
  /// user's scores, as ``scores(forRatings:)`` gives for the same ratings.
  ///
  /// - Precondition: `0 ≤ user < users.count` (checked).
  public func scores(forUser user: Int) -> [Float] {
    let profile = profile(forUser: user)
    return profile.isEmpty ? averageScores : features.scores(for: profile)
  }

  /// The cosine of the mean profile with every item, as ``PredictionSource/averageUser``.
  public func scoresForUnknownUser() -> ItemScores {
    ItemScores(values: averageScores, source: .averageUser)
  }

  /// The cosine of the profile of `ratings` with every item, as ``PredictionSource/model``:
  /// exactly ``scores(forUser:)`` for a known user given their training ratings. Empty ratings,
  /// or ratings whose profile is empty (only films without features, or mean-centred weights
  /// that cancel), give ``scoresForUnknownUser()``. Non-finite values never reach here
  /// (``UserRatings`` drops them).
  ///
  /// - Complexity: O(rated films' traits + traits + stored feature values).
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    let profile = profile(forRatings: ratings)
    guard !profile.isEmpty else { return scoresForUnknownUser() }
    return ItemScores(values: features.scores(for: profile), source: .model)
  }

  /// The cosine of item `item`'s features with every item's (1 for itself when it has features;
  /// every value 0 for an item without).
  ///
  /// - Precondition: `0 ≤ item < items.count` (checked).
  public func similarities(toItem item: Int) -> [Float]? {
    requireIndices(user: nil, item: item)
    var dense = [Float](repeating: 0, count: features.traitCount)
    let (columns, values) = features.matrix.row(item)
    for (c, v) in zip(columns, values) { dense[Int(c)] = v }
    return features.scores(dense: dense)
  }

  /// The traits the user with id `user` shares with the item with id `item`, largest share of
  /// the score first, at most `limit`: from the user's profile, the average profile for an
  /// unknown user. Empty for an unknown item. Never traps.
  public func sharedTraits(user: EntityID, item: EntityID, limit: Int = 3) -> [SharedTrait] {
    guard let i = items.index(of: item) else { return [] }
    let profile = users.index(of: user).map { self.profile(forUser: $0) } ?? averageProfile
    return features.sharedTraits(profile: profile, item: i, limit: limit)
  }

  /// The traits the profile of `ratings` shares with item index `item` (empty for an index
  /// outside the items), largest share first, at most `limit`.
  public func sharedTraits(forRatings ratings: UserRatings, item: Int, limit: Int = 3)
    -> [SharedTrait]
  {
    features.sharedTraits(profile: profile(forRatings: ratings), item: item, limit: limit)
  }

  /// How much each rated film contributes to item index `item`'s score for a user described by
  /// `ratings`, largest first: film `j` contributes `wⱼ · cos(j, item) / ‖Σₖ wₖ xₖ‖` (its weight
  /// in the profile times its similarity, over the profile's norm), so the contributions sum to
  /// the score. Films with no trait in common are left out; empty for an index outside the items.
  public func ratedItemContributions(ofRatings ratings: UserRatings, toItem item: Int)
    -> [(item: Int, contribution: Float)]
  {
    guard item >= 0, item < items.count else { return [] }
    let weights = profileWeighting.weights(ratings.values)
    var accumulator = ProfileAccumulator(traitCount: features.traitCount)
    accumulator.add(features, items: ratings.items, weights: weights)
    let norm = accumulator.norm
    _ = accumulator.takeProfile()
    guard norm > 0 else { return [] }
    var out: [(item: Int, contribution: Float)] = []
    for (j, w) in zip(ratings.items, weights) {
      let c = features.cosine(j, item)
      if c != 0, w != 0 { out.append((j, Float(Double(w) * Double(c) / norm))) }
    }
    return out.sorted {
      $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.item < $1.item
    }
  }
}

extension ContentModel {
  /// The cosine of each source's feature row with the item's, in O(traits of the two) each.
  ///
  /// - Precondition: every index is in `0..<items.count` (checked).
  public func similarities(from sources: [Int], to item: Int) -> [Float]? {
    requireIndices(user: nil, item: item)
    return sources.map { j in
      requireIndices(user: nil, item: j)
      return features.cosine(j, item)
    }
  }
}

extension ContentModel {
  /// ``scores(forUser:)`` for a block of known users, rows concatenated: each row scored from the
  /// user's precomputed profile straight into the block (the batch path). The frequent traits
  /// (those of at least 1/32 of the films and at least eight: genres, decades) are scored for the
  /// whole block by one single-threaded matrix product against a dense trait × film block the
  /// model keeps (at most 2²¹ values, 8 MB: the most frequent traits first), the rare ones
  /// scattered over their films; so a row equals ``scores(forUser:)`` up to the last bits
  /// (another summation order).
  ///
  /// - Precondition: every index is in `0..<users.count` (checked).
  public func scores(forUsers users: [Int]) -> [Float] {
    for u in users { requireIndices(user: u, item: nil) }
    let n = items.count
    var out = [Float](repeating: 0, count: users.count * n)
    guard n > 0, !users.isEmpty else { return out }
    let dense = denseTraits
    let d = dense?.count ?? 0
    if let dense {
      var weights = [Float](repeating: 0, count: users.count * d)
      for (r, u) in users.enumerated() {
        for k in profileOffsets[u]..<profileOffsets[u + 1] {
          let row = Int(dense.row[Int(profileTraits[k])])
          if row >= 0 { weights[r * d + row] = profileWeights[k] }
        }
      }
      weights.withUnsafeBufferPointer { a in
        dense.values.withUnsafeBufferPointer { b in
          out.withUnsafeMutableBufferPointer { c in
            SerialBLAS.gemm(
              transposeA: false, transposeB: false, m: users.count, n: n, k: d, alpha: 1,
              a: a.baseAddress!, lda: d, b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!,
              ldc: n)
          }
        }
      }
    }
    let byTrait = features.byTrait
    let denseRow = dense?.row ?? []
    out.withUnsafeMutableBufferPointer { all in
      byTrait.rowOffsets.withUnsafeBufferPointer { offsets in
        byTrait.columnIndices.withUnsafeBufferPointer { itemsOfTrait in
          byTrait.values.withUnsafeBufferPointer { values in
            for (r, u) in users.enumerated() {
              let row = UnsafeMutableBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])
              let range = profileOffsets[u]..<profileOffsets[u + 1]
              guard !range.isEmpty else {
                for i in 0..<n { row[i] = averageScores[i] }
                continue
              }
              guard !denseRow.isEmpty else {
                features.scores(
                  traits: profileTraits[range], weights: profileWeights[range], into: row)
                continue
              }
              for k in range {
                let t = Int(profileTraits[k])
                guard t < byTrait.rows, denseRow[t] < 0 else { continue }
                let w = profileWeights[k]
                for p in offsets[t]..<offsets[t + 1] { row[Int(itemsOfTrait[p])] += values[p] * w }
              }
            }
          }
        }
      }
    }
    return out
  }
}
