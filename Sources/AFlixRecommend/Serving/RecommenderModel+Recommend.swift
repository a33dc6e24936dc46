import AFlixData
import AFlixLinalg
internal import _AFlixSupport

/// How a batch of requests is served: a `Sendable` value that travels with the call, so two
/// requests never change each other's settings.
public struct ServingOptions: Sendable, Hashable {
  /// Users scored per matrix product in ``RecommenderModel/recommend(users:count:excluding:where:options:)``;
  /// 256 by default (clamped to 1…4,096).
  public var blockSize: Int
  /// Threads the batch may use, each scoring whole blocks; 1 by default (the calling thread
  /// only). Clamped to 1…`Parallelism.maximumThreadLimit`. Results do not depend on it. Threads
  /// other than the caller's are Dispatch workers, outside Swift's cooperative pool.
  public var threadCount: Int

  /// Creates options.
  public init(blockSize: Int = 256, threadCount: Int = 1) {
    self.blockSize = blockSize
    self.threadCount = threadCount
  }
}

extension RecommenderModel {
  /// The `count` best items for the user with external id `user`, best first.
  ///
  /// A user the model knows is scored by the model (``PredictionSource/model``) and, by default,
  /// does not get the items they rated in training (the model's ``history``). A user it does not
  /// know gets the documented fallback (``scoresForUnknownUser()``: item baselines or the average
  /// user), named in ``Recommendations/source``. Never traps: a `count` below 1 gives an empty
  /// list, one above the number of items every candidate.
  ///
  /// ```swift
  /// let top = model.recommend(user: 42, count: 10)
  /// let dramas = model.recommend(user: 42, where: .matching { dramaIDs.contains($0) })
  /// ```
  ///
  /// - Complexity: one scoring (one `sgemv` for a factor model) plus O(items) comparisons.
  public func recommend(
    user: EntityID, count: Int = 10, excluding exclusion: Exclusion = .rated,
    where filter: CandidateFilter = .all
  ) -> Recommendations {
    if let u = users.index(of: user) {
      var scores = scores(forUser: u)
      return scores.withUnsafeMutableBufferPointer {
        finish(
          $0, source: .model, rated: history.items(ofUser: u), count: count,
          exclusion: exclusion, filter: filter)
      }
    }
    var fallback = scoresForUnknownUser()
    return finish(
      &fallback.values, source: fallback.source, rated: [], count: count, exclusion: exclusion,
      filter: filter)
  }

  /// The `count` best items for a user described only by their ratings (external item id →
  /// value): the user is folded in (``scores(forRatings:)``) with nothing of the model changed,
  /// and, by default, the rated items are left out. Ids the model does not know are ignored and
  /// listed in ``Recommendations/ignoredItems``; with no known id the fallback answers.
  public func recommend(
    forRatings ratings: [(item: EntityID, value: Float)], count: Int = 10,
    excluding exclusion: Exclusion = .rated, where filter: CandidateFilter = .all
  ) -> Recommendations {
    let (known, ignored) = userRatings(ratings)
    var scores = scores(forRatings: known)
    var result = finish(
      &scores.values, source: scores.source, rated: known.items, count: count,
      exclusion: exclusion, filter: filter)
    result.ignoredItems = ignored + result.ignoredItems
    return result
  }

  /// ``recommend(forRatings:count:excluding:where:)`` for ratings given as a dictionary (its
  /// items taken in id order).
  public func recommend(
    forRatings ratings: [EntityID: Float], count: Int = 10,
    excluding exclusion: Exclusion = .rated, where filter: CandidateFilter = .all
  ) -> Recommendations {
    recommend(
      forRatings: ratings.sorted { $0.key < $1.key }.map { (item: $0.key, value: $0.value) },
      count: count, excluding: exclusion, where: filter)
  }

  /// Recommendations for many users in one call, in the order given: known users are scored a
  /// block at a time (``scores(forUsers:)``, one matrix product per block for factor models),
  /// unknown users share one fallback scoring. Each list is what
  /// ``recommend(user:count:excluding:where:)`` returns for that user.
  public func recommend(
    users requested: [EntityID], count: Int = 10, excluding exclusion: Exclusion = .rated,
    where filter: CandidateFilter = .all, options: ServingOptions = ServingOptions()
  ) -> [Recommendations] {
    var out = [Recommendations?](repeating: nil, count: requested.count)
    var known: [(position: Int, user: Int)] = []
    // Every unknown user gets the same list: selected once.
    var unknown: Recommendations?
    for (position, id) in requested.enumerated() {
      if let u = users.index(of: id) {
        known.append((position, u))
      } else {
        if unknown == nil {
          var fallback = scoresForUnknownUser()
          unknown = finish(
            &fallback.values, source: fallback.source, rated: [], count: count,
            exclusion: exclusion, filter: filter)
        }
        out[position] = unknown
      }
    }
    let block = min(4_096, max(1, options.blockSize))
    let n = items.count
    let blocks = (known.count + block - 1) / block
    let threads = min(Parallelism.maximumThreadLimit, max(1, options.threadCount))
    let history = history
    // Each block is scored and selected on its own (one worker per block at a time); results
    // land in their own slots, so the output does not depend on the thread count.
    let noState: () -> Void = {}
    let lists = ParallelLoop.map(count: blocks, threads: threads, state: noState) { b, _ in
      let part = known[(b * block)..<min(known.count, (b + 1) * block)]
      var scores = scores(forUsers: part.map(\.user))
      // Each row is marked and selected where it lies in the block: no copy per user.
      return scores.withUnsafeMutableBufferPointer { all in
        part.enumerated().map { row, entry -> Recommendations in
          finish(
            UnsafeMutableBufferPointer(rebasing: all[(row * n)..<(row * n + n)]), source: .model,
            rated: history.items(ofUser: entry.user), count: count, exclusion: exclusion,
            filter: filter)
        }
      }
    }
    for (b, list) in lists.enumerated() {
      for (row, result) in list.enumerated() { out[known[b * block + row].position] = result }
    }
    return out.map { $0! }
  }

  /// The `count` items most similar to the item with external id `item`, most similar first,
  /// never the item itself: by the cosine of item factors for factor models, by the learned
  /// similarities for the item-based neighbourhood model, by the item–item weights for EASE
  /// (``similarities(toItem:)``).
  ///
  /// An item the model does not know, or a model without item similarity (baseline, popularity,
  /// blend), gets the unknown user's items instead, with that fallback named in
  /// ``Recommendations/source``.
  public func similarItems(
    to item: EntityID, count: Int = 10, excluding excluded: [EntityID] = [],
    where filter: CandidateFilter = .all
  ) -> Recommendations {
    let exclusion = Exclusion(rated: true, items: excluded)
    if let i = items.index(of: item), var values = similarities(toItem: i) {
      return finish(
        &values, source: .model, rated: [i], count: count, exclusion: exclusion, filter: filter)
    }
    var fallback = scoresForUnknownUser()
    let itself = items.index(of: item).map { [$0] } ?? []
    return finish(
      &fallback.values, source: fallback.source, rated: itself, count: count,
      exclusion: exclusion, filter: filter)
  }

  /// The indices ``recommend(user:count:excluding:where:)`` selects for known user `user`,
  /// leaving out `excluded` (item indices) and items `isCandidate` refuses: the selection the
  /// ranking metrics measure.
  func topIndices(
    forUser user: Int, count: Int, excluding excluded: [Int], where isCandidate: (Int) -> Bool
  ) -> [Int] {
    var scores = scores(forUser: user)
    for i in excluded where i >= 0 && i < scores.count { scores[i] = .nan }
    return TopItems.select(scores, count: count, where: isCandidate)
  }

  /// Marks exclusions in `scores` (NaN), selects the best `count`, and maps them to ids:
  /// ``finish(_:source:rated:count:exclusion:filter:)`` for rated item indices given as `Int`.
  func finish(
    _ scores: inout [Float], source: PredictionSource, rated: [Int], count: Int,
    exclusion: Exclusion, filter: CandidateFilter
  ) -> Recommendations {
    scores.withUnsafeMutableBufferPointer { buffer in
      if exclusion.rated {
        for i in rated where i >= 0 && i < buffer.count { buffer[i] = .nan }
      }
      return finish(
        buffer, source: source, rated: [], count: count, exclusion: exclusion, filter: filter)
    }
  }

  /// Marks exclusions in `scores` (NaN): the `rated` item indices when `exclusion.rated`, and
  /// `exclusion`'s ids; selects the best `count` among the candidates of `filter`, and maps them
  /// to ids. Not generic over the rated items, so that a request runs no generic code
  /// unspecialised (whose runtime metadata look-ups cost more than the selection and contend
  /// between threads).
  func finish(
    _ scores: UnsafeMutableBufferPointer<Float>, source: PredictionSource,
    rated: ArraySlice<Int32>, count: Int, exclusion: Exclusion, filter: CandidateFilter
  ) -> Recommendations {
    var ignored: [EntityID] = []
    let n = scores.count
    let map = items
    if exclusion.rated {
      rated.withUnsafeBufferPointer { rated in
        for i in rated where i >= 0 && Int(i) < n { scores[Int(i)] = .nan }
      }
    }
    for id in exclusion.items {
      if let i = map.index(of: id), i < n { scores[i] = .nan } else { ignored.append(id) }
    }
    let selected: [Int]
    let values = UnsafeBufferPointer(scores)
    switch filter.rule {
    case .all:
      selected = TopItems.select(
        values, among: nil, count: count, everyItemIsCandidate: true
      ) { _ in true }
    case .allowList(let ids):
      var candidates: [Int] = []
      for id in ids {
        if let i = map.index(of: id) { candidates.append(i) } else { ignored.append(id) }
      }
      candidates.sort()
      selected = TopItems.select(values, among: candidates, count: count) { _ in true }
    case .predicate(let isCandidate):
      selected = TopItems.select(values, among: nil, count: count) { isCandidate(map.id(at: $0)) }
    }
    return Recommendations(
      items: selected.map { Recommendation(item: map.id(at: $0), score: values[$0]) },
      source: source, ignoredItems: ignored)
  }
}
