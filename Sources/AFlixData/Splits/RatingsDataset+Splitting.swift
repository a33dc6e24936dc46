import AFlixLinalg

extension RatingsDataset {
  /// Divides the ratings by `splitProtocol`, deterministically for `seed`.
  ///
  /// Train and test keep this dataset's user and item maps (see ``subset(userMajorIndices:)``).
  ///
  /// - Returns: one split, or `k` splits (`fold1` … `foldK`) for ``SplitProtocol/kFold(_:)``.
  /// - Throws: ``DataError`` `.invalidArgument` for bad parameters, for `kfold:K` with fewer than
  ///   `K` ratings, for `last:N` on a dataset without timestamps, and for a split that leaves its
  ///   train or test side without a rating (`holdout:1e-300`, `last:N` on users with one rating
  ///   each).
  /// - Complexity: O(n log d) for `last:N`, O(n + users) for the others.
  public func split(_ splitProtocol: SplitProtocol, seed: UInt64) throws -> [DatasetSplit] {
    try splitProtocol.validate()
    let n = ratingCount
    switch splitProtocol {
    case .holdout(let f):
      var positions = Array(0..<n)
      var rng = SeededGenerator(seed: seed)
      rng.shuffle(&positions)
      let testCount = Int((f * Double(n)).rounded())
      return [
        try make(
          "holdout", train: Array(positions[testCount...]), test: Array(positions[..<testCount]))
      ]
    case .userHoldout(let f, let minimum):
      return [
        try perUserShuffle("user-holdout", trainFraction: 1 - f, minimum: minimum, seed: seed)
      ]
    case .stratified(let f):
      return [try perUserShuffle("stratified", trainFraction: f, minimum: 1, seed: seed)]
    case .kFold(let k):
      guard n >= k else {
        throw DataError(
          .invalidArgument, field: "k", value: String(k),
          message: "k-fold needs at least k ratings; the dataset has \(n)")
      }
      var positions = Array(0..<n)
      var rng = SeededGenerator(seed: seed)
      rng.shuffle(&positions)
      var fold = [Int](repeating: 0, count: n)
      for (j, p) in positions.enumerated() { fold[p] = j % k }
      return try (0..<k).map { f in
        var train: [Int] = []
        var test: [Int] = []
        for p in 0..<n {
          if fold[p] == f { test.append(p) } else { train.append(p) }
        }
        return try make("fold\(f + 1)", train: train, test: test)
      }
    case .lastN(let count):
      guard let timestamps = timestampStorage else {
        throw DataError(
          .invalidArgument, field: "protocol", value: splitProtocol.description,
          message: "last:N needs timestamps and this dataset has none")
      }
      let offsets = userItemMatrix.rowOffsets
      var train: [Int] = []
      var test: [Int] = []
      for u in 0..<userCount {
        let range = offsets[u]..<offsets[u + 1]
        let testCount = min(count, max(0, range.count - 1))
        if testCount == 0 {
          train.append(contentsOf: range)
          continue
        }
        // Positions ascend with the item index within a user, so ties in time go by item.
        let ordered = range.sorted { a, b in
          timestamps[a] != timestamps[b] ? timestamps[a] < timestamps[b] : a < b
        }
        train.append(contentsOf: ordered[..<(ordered.count - testCount)])
        test.append(contentsOf: ordered[(ordered.count - testCount)...])
      }
      return [try make("last", train: train, test: test)]
    }
  }

  /// Per user, shuffles the user's ratings with stream `u` of `seed` and keeps
  /// `min(d, max(minimum, roundHalfEven(trainFraction · d)))` of them in train.
  private func perUserShuffle(
    _ name: String, trainFraction: Double, minimum: Int, seed: UInt64
  ) throws -> DatasetSplit {
    let offsets = userItemMatrix.rowOffsets
    var train: [Int] = []
    var test: [Int] = []
    train.reserveCapacity(Int(Double(ratingCount) * trainFraction) + userCount)
    var local: [Int] = []
    for u in 0..<userCount {
      let range = offsets[u]..<offsets[u + 1]
      let degree = range.count
      let keep = min(
        degree, max(minimum, Int((trainFraction * Double(degree)).rounded(.toNearestOrEven))))
      if keep == degree {
        train.append(contentsOf: range)
        continue
      }
      local.removeAll(keepingCapacity: true)
      local.append(contentsOf: range)
      var rng = SeededGenerator(seed: seed, stream: UInt64(u))
      rng.shuffle(&local)
      train.append(contentsOf: local[..<keep])
      test.append(contentsOf: local[keep...])
    }
    return try make(name, train: train, test: test)
  }

  /// The split of the given positions; a side with no rating is an error (an empty test set
  /// measures nothing, an empty train set fits nothing).
  private func make(_ name: String, train: [Int], test: [Int]) throws -> DatasetSplit {
    for (side, positions) in [("test", test), ("train", train)] where positions.isEmpty {
      throw DataError(
        .invalidArgument, field: "protocol", value: name,
        message: "the split '\(name)' leaves the \(side) side empty (0 of \(ratingCount) "
          + "ratings): choose a \(side == "test" ? "larger" : "smaller") test share")
    }
    return DatasetSplit(
      name: name, train: subset(userMajorIndices: train), test: subset(userMajorIndices: test))
  }
}
