import AFlixData

extension PopularityStrata {
  /// The champions of `genre`: the ``cultClassics`` score (the weighted rating, items below the
  /// minimum vote count ranked last) for items of the genre, and every item outside the genre
  /// ranked below every item inside it (its score shifted down, its order kept).
  ///
  /// A genre no item has (or strata without a catalog) leaves every item outside: the order is
  /// that of ``cultClassics``.
  public func genreChampions(_ genre: Genre) -> [Float] {
    scores(forGenres: [genre])
  }

  /// Onboarding: scores for a new user who states the genres they like. Items in **any** of
  /// `genres` come first, in ``cultClassics`` order (weighted rating, items below the minimum
  /// vote count last), then every other item in the same order. No genre (or no catalog) gives
  /// the ``cultClassics`` order.
  ///
  /// ```swift
  /// let top = strata.scores(forGenres: [Genre.named("Comedy"), Genre.named("Romance")])
  /// ```
  public func scores(forGenres genres: [Genre]) -> [Float] {
    let wanted = Set(genres.compactMap { self.genres.firstIndex(of: $0) }.map { Int32($0) })
    let inside = (0..<items.count).map { i in
      itemGenres[itemGenreOffsets[i]..<itemGenreOffsets[i + 1]].contains { wanted.contains($0) }
    }
    return StrataFit.rankedLast(cultClassics, below: inside)
  }

  /// The `count` best items of `genre` by weighted rating among those with at least
  /// ``minimumVotes`` ratings, best first (ties to the lower index): what "genre champion in
  /// Comedy" names. Empty for a genre no eligible item has, or `count ≤ 0`.
  public func champions(of genre: Genre, count: Int) -> [Int] {
    guard count > 0, let g = genres.firstIndex(of: genre) else { return [] }
    let members = (0..<items.count).filter { i in
      Int(popularity[i]) >= minimumVotes
        && itemGenres[itemGenreOffsets[i]..<itemGenreOffsets[i + 1]].contains(Int32(g))
    }
    let sorted = members.sorted {
      weightedRatings[$0] != weightedRatings[$1]
        ? weightedRatings[$0] > weightedRatings[$1] : $0 < $1
    }
    return Array(sorted.prefix(count))
  }

  /// Each genre's share among the rated items' genres, by position in ``genres``: for each
  /// rated item, each of its genres counts `1 / (its number of genres)`; the shares sum to 1
  /// (all zeros when no rated item has a genre). Indices outside the item range are ignored.
  public func genreShares(ofItems rated: [Int]) -> [Double] {
    var shares = [Double](repeating: 0, count: genres.count)
    var total = 0.0
    for i in rated where i >= 0 && i < items.count {
      let own = itemGenres[itemGenreOffsets[i]..<itemGenreOffsets[i + 1]]
      guard !own.isEmpty else { continue }
      for g in own { shares[Int(g)] += 1 / Double(own.count) }
      total += 1
    }
    return total > 0 ? shares.map { $0 / total } : shares
  }

  /// ``genreShares(ofItems:)`` of a history row, written as `Float` into `out` (one value per
  /// genre, overwritten): the batch path's row, with no allocation.
  func genreShares(ofItems rated: ArraySlice<Int32>, into out: UnsafeMutableBufferPointer<Float>) {
    precondition(out.count == genres.count, "one share per genre")
    var total = 0.0
    withUnsafeTemporaryAllocation(of: Double.self, capacity: genres.count) { sums in
      for k in 0..<sums.count { sums[k] = 0 }
      for i in rated where i >= 0 && Int(i) < items.count {
        let own = itemGenreOffsets[Int(i)]..<itemGenreOffsets[Int(i) + 1]
        guard !own.isEmpty else { continue }
        for k in own { sums[Int(itemGenres[k])] += 1 / Double(own.count) }
        total += 1
      }
      for k in 0..<sums.count { out[k] = Float(total > 0 ? sums[k] / total : sums[k]) }
    }
  }
}
