import AFlixData
import AFlixLinalg

/// The serving kernels shared by the factor models: a block of users scored by one `sgemm`, and
/// item–item cosine similarity by one `sgemv` — both through `SerialBLAS`, so they run on the
/// calling thread whatever OpenBLAS's process-wide thread count.
enum FactorServing {
  /// `base(u) + itemBias + Y xᵤ` for every user `u` of `users`, rows concatenated
  /// (`users.count × items`): the user rows are gathered into one `b × k` block and multiplied by
  /// `Yᵀ` with one `sgemm`.
  static func blockScores(
    itemFactors: Matrix<Float>, userFactors: Matrix<Float>, users: [Int], base: ((Int) -> Float)?,
    itemBias: [Float]?
  ) -> [Float] {
    let n = itemFactors.rows
    let k = itemFactors.columns
    let b = users.count
    for u in users { precondition(u >= 0 && u < userFactors.rows, "user index \(u) out of range") }
    var out = [Float](repeating: 0, count: b * n)
    guard b > 0, n > 0 else { return out }
    if base != nil || itemBias != nil {
      out.withUnsafeMutableBufferPointer { o in
        for (row, u) in users.enumerated() {
          let bias = base?(u) ?? 0
          let r = o.baseAddress! + row * n
          if let itemBias {
            for i in 0..<n { r[i] = bias + itemBias[i] }
          } else {
            r.update(repeating: bias, count: n)
          }
        }
      }
    }
    guard k > 0 else { return out }
    var block = [Float](repeating: 0, count: b * k)
    userFactors.elements.withUnsafeBufferPointer { p in
      for (row, u) in users.enumerated() {
        for f in 0..<k { block[row * k + f] = p[u * k + f] }
      }
    }
    block.withUnsafeBufferPointer { x in
      itemFactors.elements.withUnsafeBufferPointer { y in
        out.withUnsafeMutableBufferPointer { c in
          SerialBLAS.gemm(
            transposeA: false, transposeB: true, m: b, n: n, k: k, alpha: 1, a: x.baseAddress!,
            lda: k, b: y.baseAddress!, ldb: k, beta: 1, c: c.baseAddress!, ldc: n)
        }
      }
    }
    return out
  }

  /// The cosine between item `item`'s factor row and every item's (0 for a zero row).
  static func cosineSimilarities(itemFactors: Matrix<Float>, to item: Int) -> [Float] {
    let n = itemFactors.rows
    let k = itemFactors.columns
    precondition(item >= 0 && item < n, "item index \(item) out of range")
    var out = [Float](repeating: 0, count: n)
    guard k > 0 else { return out }
    itemFactors.elements.withUnsafeBufferPointer { y in
      out.withUnsafeMutableBufferPointer { s in
        let target = y.baseAddress! + item * k
        SerialBLAS.gemv(
          transpose: false, m: n, n: k, alpha: 1, a: y.baseAddress!, lda: k, x: target, beta: 0,
          y: s.baseAddress!)
        let targetNorm = Float.dot(n: k, x: target, y: target).squareRoot()
        for i in 0..<n {
          let row = y.baseAddress! + i * k
          let norm = Float.dot(n: k, x: row, y: row).squareRoot() * targetNorm
          s[i] = norm > 0 ? s[i] / norm : 0
        }
      }
    }
    return out
  }
}

extension FactorServing {
  /// The cosine between item `item`'s factor row and each source's (0 for a zero row).
  static func cosineSimilarities(itemFactors: Matrix<Float>, from sources: [Int], to item: Int)
    -> [Float]
  {
    let n = itemFactors.rows
    let k = itemFactors.columns
    precondition(item >= 0 && item < n, "item index \(item) out of range")
    for j in sources { precondition(j >= 0 && j < n, "item index \(j) out of range") }
    guard k > 0 else { return sources.map { _ in 0 } }
    return itemFactors.elements.withUnsafeBufferPointer { y in
      let target = y.baseAddress! + item * k
      let targetNorm = Float.dot(n: k, x: target, y: target).squareRoot()
      return sources.map { j in
        let row = y.baseAddress! + j * k
        let norm = Float.dot(n: k, x: row, y: row).squareRoot() * targetNorm
        return norm > 0 ? Float.dot(n: k, x: row, y: target) / norm : 0
      }
    }
  }
}

extension FactorRankServing {
  /// The cosine of the sources' item factors with the item's (the right singular vectors for
  /// truncated SVD; BPR's item biases, a popularity term, left out), in O(|sources| · k): the
  /// factor models' answer, one definition for all of them.
  public func similarities(from sources: [Int], to item: Int) -> [Float]? {
    FactorServing.cosineSimilarities(itemFactors: itemFactors, from: sources, to: item)
  }
}

extension EASEModel {
  /// `B[source, item]`: what having each source adds to the item's score — exactly its share of
  /// the score.
  public func similarities(from sources: [Int], to item: Int) -> [Float]? {
    requireIndices(user: nil, item: item)
    let n = items.count
    return sources.map { j in
      requireIndices(user: nil, item: j)
      return weights.elements[j * n + item]
    }
  }
}

extension KNNBaselineModel {
  /// The learned similarity of each source to the item (item-based models; `nil` otherwise).
  public func similarities(from sources: [Int], to item: Int) -> [Float]? {
    guard itemBased else { return nil }
    requireIndices(user: nil, item: item)
    let n = items.count
    return sources.map { j in
      requireIndices(user: nil, item: j)
      return similarities.elements[j * n + item]
    }
  }
}

extension ImplicitALSModel {
  /// `Y xᵤ` for a block of users by one `sgemm`.
  public func scores(forUsers users: [Int]) -> [Float] {
    FactorServing.blockScores(
      itemFactors: itemFactors, userFactors: userFactors, users: users, base: nil,
      itemBias: nil)
  }

  /// The cosine of item factors.
  public func similarities(toItem item: Int) -> [Float]? {
    FactorServing.cosineSimilarities(itemFactors: itemFactors, to: item)
  }
}

extension BPRModel {
  /// `Q pᵤ + b` for a block of users by one `sgemm`.
  public func scores(forUsers users: [Int]) -> [Float] {
    FactorServing.blockScores(
      itemFactors: itemFactors, userFactors: userFactors, users: users, base: nil,
      itemBias: itemBias)
  }

  /// The cosine of item factors (the item biases, a popularity term, left out).
  public func similarities(toItem item: Int) -> [Float]? {
    FactorServing.cosineSimilarities(itemFactors: itemFactors, to: item)
  }
}

extension BiasedMFModel {
  /// `μ + bᵤ + bᵢ + Q pᵤ` for a block of users by one `sgemm`.
  public func scores(forUsers users: [Int]) -> [Float] {
    FactorServing.blockScores(
      itemFactors: itemFactors, userFactors: userFactors, users: users,
      base: { globalMean + userBias[$0] }, itemBias: itemBias)
  }

  /// The cosine of item factors.
  public func similarities(toItem item: Int) -> [Float]? {
    FactorServing.cosineSimilarities(itemFactors: itemFactors, to: item)
  }
}

extension TruncatedSVDModel {
  /// `oᵤ + oᵢ + (UΣ)ᵤ · Vᵢ` for a block of users by one `sgemm`.
  public func scores(forUsers users: [Int]) -> [Float] {
    FactorServing.blockScores(
      itemFactors: itemFactors, userFactors: userFactors, users: users,
      base: { userOffsets[$0] }, itemBias: itemOffsets)
  }

  /// The cosine of the items' right singular vectors.
  public func similarities(toItem item: Int) -> [Float]? {
    FactorServing.cosineSimilarities(itemFactors: itemFactors, to: item)
  }
}

extension EASEModel {
  /// Row `item` of `B`: how much having `item` adds to every other item's score.
  public func similarities(toItem item: Int) -> [Float]? {
    precondition(item >= 0 && item < items.count, "item index \(item) out of range")
    let n = items.count
    return Array(weights.elements[(item * n)..<(item * n + n)])
  }
}

extension KNNBaselineModel {
  /// The learned (shrunk) similarities of item `item` for an item-based model; `nil` for a
  /// user-based one, whose similarities are between users.
  public func similarities(toItem item: Int) -> [Float]? {
    guard itemBased else { return nil }
    precondition(item >= 0 && item < items.count, "item index \(item) out of range")
    let n = items.count
    return Array(similarities.elements[(item * n)..<(item * n + n)])
  }
}

extension EASEModel {
  /// `X_b B` for a block of users: their interaction rows as a dense `b × items` block, times `B`
  /// by one `sgemm` (on the calling thread, `SerialBLAS`).
  public func scores(forUsers block: [Int]) -> [Float] {
    let n = items.count
    for u in block { requireIndices(user: u, item: nil) }
    var x = [Float](repeating: 0, count: block.count * n)
    for (row, u) in block.enumerated() {
      for i in interactions.row(u).columns { x[row * n + Int(i)] = 1 }
    }
    var out = [Float](repeating: 0, count: block.count * n)
    guard !block.isEmpty, n > 0 else { return out }
    x.withUnsafeBufferPointer { xp in
      weights.elements.withUnsafeBufferPointer { w in
        out.withUnsafeMutableBufferPointer { o in
          SerialBLAS.gemm(
            transposeA: false, transposeB: false, m: block.count, n: n, k: n, alpha: 1,
            a: xp.baseAddress!, lda: n, b: w.baseAddress!, ldb: n, beta: 0, c: o.baseAddress!,
            ldc: n)
        }
      }
    }
    return out
  }
}

extension BlendModel {
  /// `w₀ + Σⱼ wⱼ sⱼ` for a block of users, each member scoring the whole block at once (one
  /// matrix product per member for the factor models).
  public func scores(forUsers block: [Int]) -> [Float] {
    for u in block { requireIndices(user: u, item: nil) }
    var out = [Float](repeating: intercept, count: block.count * items.count)
    for (member, w) in zip(members, weights) {
      let s = member.scores(forUsers: block)
      for t in out.indices { out[t] += w * s[t] }
    }
    return out
  }
}
